using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LabelFree.Messages;
using MassTransit;

namespace LabelFree.Worker.Cli;

/// <summary>
/// `labelfree submit FILE... --batch ID [--structures a,b] [--channel N|NAME] [--wait] [--timeout SEC]`:
/// uploads each file to the configured input storage and publishes its StackAcquired on the configured
/// broker. With --wait it listens for the StackPredicted/StackRejected of those stacks, prints each as
/// one JSON line, and exits 1 if any was rejected or the timeout passed.
/// </summary>
public static class SubmitVerb
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "TIFF or OME-TIFF stacks to submit; each becomes one stack (its id is the file name without extension).",
            Arity = ArgumentArity.OneOrMore,
        }.AcceptExistingOnly();
        var batch = new Option<string>("--batch") { Description = "The batch id (letters, digits, '.', '_', '-').", Required = true };
        var structures = new Option<string?>("--structures") { Description = "Comma-separated structures to predict (default: every model for the modality)." };
        var channel = new Option<string>("--channel")
        {
            Description = "The transmitted-light channel: a zero-based index or a channel name.",
            DefaultValueFactory = _ => "0",
        };
        var modality = new Option<Modality>("--modality") { Description = "BrightField, Dic or Em.", DefaultValueFactory = _ => Modality.BrightField };
        var wait = new Option<bool>("--wait") { Description = "Wait for each stack's result and print it as a JSON line." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "With --wait: seconds to wait for all results (default 600).",
            DefaultValueFactory = _ => 600,
        };
        var command = new Command("submit", "Upload stack files to the configured storage and publish a StackAcquired message for each.")
        {
            files, batch, structures, channel, modality, wait, timeout,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(
            token => RunAsync(
                parsed.GetValue(files)!, parsed.GetValue(batch)!, parsed.GetValue(structures), parsed.GetValue(channel)!,
                parsed.GetValue(modality), parsed.GetValue(wait), parsed.GetValue(timeout), token),
            cancellation));
        return command;
    }

    /// <summary>A channel option: digits are an index, anything else a name.</summary>
    public static ChannelSelector ParseChannel(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new ChannelSelector { Index = index }
            : new ChannelSelector { Name = text };
    }

    private static async Task<int> RunAsync(
        FileInfo[] files, string batchId, string? structureList, string channelText, Modality modality, bool wait, double timeoutSeconds,
        CancellationToken cancellationToken)
    {
        if (!Storage.PredictionLayout.IsValidIdentifier(batchId))
        {
            throw new UsageException($"--batch '{batchId}' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (timeoutSeconds <= 0)
        {
            throw new UsageException("--timeout must be positive.");
        }

        var structures = structureList?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var channel = ParseChannel(channelText);
        using var services = OperatorServices.Create();
        if (services.Options.Broker.IsEmbedded)
        {
            throw new UsageException(
                "submit needs a broker: set LabelFree:Broker:Url (LABELFREE__Broker__Url). With no broker the worker runs embedded, in one process.");
        }

        var stackIds = files.Select(f => StackSubmission.StackIdFor(f.Name)).ToArray();
        var duplicate = stackIds.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException($"Two files map to the same stack id '{duplicate.Key}': give them different names.");
        }

        var results = Channel.CreateUnbounded<(string StackId, string Json, bool Rejected)>();
        var wanted = stackIds.ToHashSet(StringComparer.Ordinal);
        var bus = Bus.Factory.CreateUsingRabbitMq(transport =>
        {
            transport.Host(new Uri(services.Options.Broker.Url!));
            if (wait)
            {
                // An auto-deleted queue bound to both event exchanges, created before anything is published.
                transport.ReceiveEndpoint(new TemporaryEndpointDefinition(), null, endpoint =>
                {
                    endpoint.Handler<StackPredicted>(context => Offer(context.Message.BatchId, context.Message.StackId, Render("StackPredicted", context.Message), false));
                    endpoint.Handler<StackRejected>(context => Offer(context.Message.BatchId, context.Message.StackId, Render("StackRejected", context.Message), true));
                });
            }
        });

        Task Offer(string batch, string stack, string json, bool rejected)
        {
            if (batch == batchId && wanted.Contains(stack))
            {
                results.Writer.TryWrite((stack, json, rejected));
            }

            return Task.CompletedTask;
        }

        await bus.StartAsync(cancellationToken);
        try
        {
            var submission = new StackSubmission(services.Store, services.Layout, services.Options.Storage.InputContainer, services.Options.Storage.InputPrefix);
            foreach (var file in files)
            {
                var message = await submission.UploadAsync(file, batchId, channel, structures, modality, cancellationToken);
                await bus.Publish(message, cancellationToken);
                if (!wait)
                {
                    Console.WriteLine(Render("Submitted", message));
                }
            }

            return wait ? await WaitAsync(results.Reader, wanted, TimeSpan.FromSeconds(timeoutSeconds), cancellationToken) : ExitCodes.Ok;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> WaitAsync(
        ChannelReader<(string StackId, string Json, bool Rejected)> results, HashSet<string> wanted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var anyRejected = false;
        try
        {
            while (wanted.Count > 0)
            {
                var (stackId, json, rejected) = await results.ReadAsync(deadline.Token);

                // Events can repeat (a redelivered stack republishes its result): print each stack once.
                if (wanted.Remove(stackId))
                {
                    Console.WriteLine(json);
                    anyRejected |= rejected;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(
                $"error: timed out after {timeout.TotalSeconds:0} s; no result yet for {wanted.Count} stack(s): {string.Join(", ", wanted.Order(StringComparer.Ordinal))}");
            return ExitCodes.Failure;
        }

        return anyRejected ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Render<T>(string kind, T message)
    {
        var node = JsonSerializer.SerializeToNode(message, MessageJson.Options)!.AsObject();
        var line = new JsonObject { ["event"] = kind };
        foreach (var (key, value) in node.ToArray())
        {
            node.Remove(key);
            line[key] = value;
        }

        return line.ToJsonString(MessageJson.Options);
    }
}
