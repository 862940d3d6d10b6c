using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>The running total of one of an in-process worker's counters (its own meter factory only, not another host's).</summary>
internal sealed class WorkerCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public WorkerCounter(WebApplication worker, string name)
    {
        var factory = worker.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
