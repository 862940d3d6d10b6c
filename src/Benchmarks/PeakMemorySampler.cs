namespace LabelFree.Benchmarks;

/// <summary>
/// Records the highest resident memory of the process while a piece of work runs, by reading the
/// resident size on a background thread every <c>interval</c>. Used instead of VmHWM because the
/// kernel's high-water mark cannot be reset in-process, so it would only ever show the worst
/// measurement so far. Allocations that live shorter than the interval can be missed; the tensors
/// that dominate a forward pass live for a whole layer (tens of milliseconds and more).
/// </summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Func<long> _readResidentBytes;
    private readonly ManualResetEventSlim _stopped = new(false);
    private readonly Thread? _thread;
    private readonly TimeSpan _interval;
    private long _peakBytes;
    private MemoryPeak? _result;

    /// <summary>A sampler without a thread: <see cref="Sample"/> records a reading, so tests control exactly when readings happen.</summary>
    public PeakMemorySampler(Func<long> readResidentBytes)
    {
        ArgumentNullException.ThrowIfNull(readResidentBytes);
        _readResidentBytes = readResidentBytes;
        BaselineBytes = readResidentBytes();
        _peakBytes = BaselineBytes;
    }

    private PeakMemorySampler(Func<long> readResidentBytes, TimeSpan interval)
        : this(readResidentBytes)
    {
        _interval = interval;
        _thread = new Thread(SampleUntilStopped) { IsBackground = true, Name = "Resident memory sampler" };
        _thread.Start();
    }

    /// <summary>Resident bytes when the sampler was created.</summary>
    public long BaselineBytes { get; }

    /// <summary>The highest reading so far (at least the baseline).</summary>
    public long PeakBytes => Interlocked.Read(ref _peakBytes);

    /// <summary>Starts sampling this process's resident memory every <paramref name="interval"/>.</summary>
    public static PeakMemorySampler Start(TimeSpan interval) => Start(ResidentMemory.CurrentBytes, interval);

    /// <summary>Starts sampling <paramref name="readResidentBytes"/> every <paramref name="interval"/> on a background thread.</summary>
    public static PeakMemorySampler Start(Func<long> readResidentBytes, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(readResidentBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new PeakMemorySampler(readResidentBytes, interval);
    }

    /// <summary>Takes one reading now and keeps it if it is the highest.</summary>
    public void Sample()
    {
        var reading = _readResidentBytes();
        var peak = Interlocked.Read(ref _peakBytes);
        while (reading > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakBytes, reading, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    /// <summary>Stops the thread, takes a last reading (work shorter than one interval still gets one) and returns the peak.</summary>
    public MemoryPeak Stop()
    {
        if (_result is null)
        {
            _stopped.Set();
            _thread?.Join();
            Sample();
            _result = new MemoryPeak(BaselineBytes, PeakBytes);
        }

        return _result;
    }

    public void Dispose()
    {
        Stop();
        _stopped.Dispose();
    }

    private void SampleUntilStopped()
    {
        // Wait returns false on timeout (time for the next reading) and true once Stop is called.
        while (!_stopped.Wait(_interval))
        {
            Sample();
        }
    }
}
