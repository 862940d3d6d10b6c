using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// The running total of one of an in-process worker's counters (its own meter factory only, not another host's),
/// over every series or over the one carrying <c>tag</c>.
/// </summary>
internal sealed class WorkerCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public WorkerCounter(WebApplication worker, string name, KeyValuePair<string, object?>? tag = null)
    {
        var factory = worker.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tag is not { } wanted || Contains(tags, wanted))
            {
                Interlocked.Add(ref _count, value);
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();

    private static bool Contains(ReadOnlySpan<KeyValuePair<string, object?>> tags, KeyValuePair<string, object?> wanted)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == wanted.Key && Equals(tag.Value, wanted.Value))
            {
                return true;
            }
        }

        return false;
    }
}
