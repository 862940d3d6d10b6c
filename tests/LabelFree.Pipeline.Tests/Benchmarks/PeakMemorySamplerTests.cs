using LabelFree.Benchmarks;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class PeakMemorySamplerTests
{
    [Fact]
    public void The_peak_is_the_highest_reading_and_is_reported_above_the_first()
    {
        var readings = new Queue<long>([100, 300, 200, 250]);
        using var sampler = new PeakMemorySampler(readings.Dequeue);

        sampler.Sample();
        sampler.Sample();
        var peak = sampler.Stop(); // the final reading (250) is taken but is not the highest

        Assert.Equal(100, peak.BaselineBytes);
        Assert.Equal(300, peak.PeakBytes);
        Assert.Equal(200, peak.AboveBaselineBytes);
        Assert.Empty(readings);
    }

    [Fact]
    public void The_background_thread_catches_a_peak_that_is_gone_before_stop()
    {
        long resident = 1_000;
        using var sampledHigh = new ManualResetEventSlim(false);
        long Read()
        {
            var value = Interlocked.Read(ref resident);
            if (value > 1_000)
            {
                sampledHigh.Set();
            }

            return value;
        }

        using var sampler = PeakMemorySampler.Start(Read, TimeSpan.FromMilliseconds(1));
        Interlocked.Exchange(ref resident, 5_000);
        Assert.True(sampledHigh.Wait(TimeSpan.FromSeconds(10)), "the sampler thread never took a reading");
        Interlocked.Exchange(ref resident, 1_200);
        var peak = sampler.Stop();

        Assert.Equal(1_000, peak.BaselineBytes);
        Assert.Equal(5_000, peak.PeakBytes);
    }

    [Fact]
    public void Several_runs_report_the_run_with_the_highest_peak()
    {
        var low = new MemoryPeak(BaselineBytes: 500, PeakBytes: 900);
        var high = new MemoryPeak(BaselineBytes: 700, PeakBytes: 1_000);

        Assert.Equal(high, MemoryPeak.Max(low, high));
        Assert.Equal(high, MemoryPeak.Max(high, low));
        Assert.Equal(0, new MemoryPeak(BaselineBytes: 800, PeakBytes: 800).AboveBaselineBytes);
    }
}
