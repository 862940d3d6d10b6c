using System.Collections.Concurrent;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// One long-lived thread that runs every model computation of the worker, one at a time. libtorch's
/// OpenMP keeps a team of spinning threads per calling thread; forward passes issued from changing
/// thread-pool threads build several teams that steal each other's cores (measured: inference twice as
/// slow inside the worker as in a plain loop on 2 cores). One thread means one team, and serialises the
/// compute: libtorch already spreads one pass over every core, so two stacks predicting at once would
/// only contend, while downloads, decoding and uploads of other stacks still overlap with it.
/// </summary>
public sealed class ComputeThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public ComputeThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the compute thread after the work queued before it.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                completion.TrySetResult(work());
            }
            catch (OperationCanceledException e)
            {
                completion.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                completion.TrySetException(e);
            }
        }, cancellationToken);
        return completion.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
