using System.CommandLine;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Cli;

/// <summary>
/// `labelfree serve`: the production entry point. Loads the configured models, consumes StackAcquired
/// from RabbitMQ (or the in-memory transport when no broker is configured), and serves /healthz,
/// /readyz and /metrics. SIGTERM stops consuming; the current stack finishes, or after most of
/// LabelFree:ShutdownGracePeriod is abandoned and its message returned to the queue.
/// </summary>
public static class ServeVerb
{
    public const string Name = "serve";

    public static Command Create()
    {
        var command = new Command(Name,
            "Run the worker: load the structure models, consume StackAcquired messages, publish StackPredicted/StackRejected, " +
            "serve /healthz, /readyz and /metrics. Configured by appsettings.json and LABELFREE__... environment variables.");
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(_ => RunAsync(), cancellation));
        return command;
    }

    private static async Task<int> RunAsync()
    {
        try
        {
            // Validation may already run while the host is built (the bus reads the options to configure itself).
            await using var app = WorkerHost.Build([]);

            // The host listens for SIGTERM/SIGINT itself and stops within the configured grace period.
            await app.RunAsync();
            return ExitCodes.Ok;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("error: invalid configuration:");
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync($"  {failure}");
            }

            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is ModelLoadException or StorageUnavailableException)
        {
            await Console.Error.WriteLineAsync($"error: the worker could not start: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
