using System.Globalization;
using Azure.Storage.Blobs;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// Checks <see cref="WorkerOptions"/> at start. Each problem is reported with the full configuration key
/// ("LabelFree:Broker:Concurrency must be between 1 and 64, got 0"), so an operator knows which
/// setting or LABELFREE__ variable to fix. Secrets never appear in a message.
/// </summary>
public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    private const string Root = WorkerOptions.SectionName;

    private static readonly string[] BrokerSchemes = ["amqp", "amqps", "rabbitmq", "rabbitmqs"];

    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        CheckBroker(options.Broker, problems);
        CheckStorage(options.Storage, options.Broker, problems);
        CheckModels(options.Models, problems);
        CheckPrediction(options.Prediction, problems);
        if (!Enum.IsDefined(options.Output.Format))
        {
            problems.Add($"{Root}:Output:Format must be OmeTiff or OmeZarr, got {options.Output.Format}");
        }

        InRange(problems, $"{Root}:ShutdownGracePeriod", options.ShutdownGracePeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckHttp(options.Http, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckBroker(BrokerOptions broker, List<string> problems)
    {
        const string key = $"{Root}:Broker";
        if (!broker.IsEmbedded
            && !(Uri.TryCreate(broker.Url, UriKind.Absolute, out var url) && BrokerSchemes.Contains(url.Scheme, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{key}:Url must be an amqp://, amqps://, rabbitmq:// or rabbitmqs:// URL (or empty for the embedded in-memory broker), got '{SecretRedaction.Url(broker.Url!)}'");
        }

        InRange(problems, $"{key}:Concurrency", broker.Concurrency, 1, 64);
        if (broker.RetryIntervals is { Length: > 10 })
        {
            problems.Add($"{key}:RetryIntervals may hold at most 10 intervals, got {broker.RetryIntervals.Length}");
        }

        for (var i = 0; i < broker.EffectiveRetryIntervals.Count; i++)
        {
            InRange(problems, $"{key}:RetryIntervals:{i}", broker.EffectiveRetryIntervals[i], TimeSpan.Zero, TimeSpan.FromMinutes(10));
        }

        InRange(problems, $"{key}:StackTimeBudget", broker.StackTimeBudget, TimeSpan.FromSeconds(1), TimeSpan.FromHours(6));
        InRange(problems, $"{key}:ConsumerTimeoutMargin", broker.ConsumerTimeoutMargin, TimeSpan.Zero, TimeSpan.FromHours(1));
    }

    private static void CheckStorage(StorageOptions storage, BrokerOptions broker, List<string> problems)
    {
        InRange(problems, $"{Root}:Storage:MaxInputBytes", storage.MaxInputBytes, 1L, int.MaxValue);
        const string key = $"{Root}:Storage";
        if (!Enum.IsDefined(storage.Kind))
        {
            problems.Add($"{key}:Kind must be Local or AzureBlob");
        }

        if (storage.Kind == StorageKind.AzureBlob)
        {
            if (string.IsNullOrWhiteSpace(storage.ConnectionString))
            {
                problems.Add($"{key}:ConnectionString is required when {key}:Kind is AzureBlob (set it from the environment: LABELFREE__Storage__ConnectionString)");
            }
            else if (!IsUsableConnectionString(storage.ConnectionString))
            {
                problems.Add($"{key}:ConnectionString is not a valid Azure Storage connection string (the value is not shown)");
            }
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
            {
                problems.Add($"{key}:ConnectionString is set but {key}:Kind is {storage.Kind}: set {key}:Kind to AzureBlob or remove the connection string");
            }

            if (string.IsNullOrWhiteSpace(storage.LocalRoot))
            {
                problems.Add($"{key}:LocalRoot must name a folder when {key}:Kind is Local");
            }
        }

        ContainerName(problems, $"{key}:InputContainer", storage.InputContainer);
        ContainerName(problems, $"{key}:OutputContainer", storage.OutputContainer);
        ContainerName(problems, $"{key}:ModelContainer", storage.ModelContainer);
        if (storage.InputPrefix is null || (storage.InputPrefix.Length > 0 && !IsFolderPrefix(storage.InputPrefix)))
        {
            problems.Add($"{key}:InputPrefix must be empty or folder names (letters, digits, '.', '_', '-') each followed by '/', got '{storage.InputPrefix}'");
        }

        CheckResilience(storage.Resilience, broker, problems);
    }

    private static void CheckResilience(StorageResilienceOptions resilience, BrokerOptions broker, List<string> problems)
    {
        const string key = $"{Root}:Storage:Resilience";
        InRange(problems, $"{key}:MaxRetryAttempts", resilience.MaxRetryAttempts, 0, 20);
        InRange(problems, $"{key}:RetryBaseDelay", resilience.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        InRange(problems, $"{key}:RetryMaxDelay", resilience.RetryMaxDelay, resilience.RetryBaseDelay, TimeSpan.FromMinutes(10));
        InRange(problems, $"{key}:AttemptTimeout", resilience.AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(6));
        InRange(problems, $"{key}:RequestTimeout", resilience.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        InRange(problems, $"{key}:CircuitFailureRatio", resilience.CircuitFailureRatio, 0.01, 1.0);
        InRange(problems, $"{key}:CircuitMinimumThroughput", resilience.CircuitMinimumThroughput, 2, 10_000);
        InRange(problems, $"{key}:CircuitSamplingDuration", resilience.CircuitSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        InRange(problems, $"{key}:CircuitBreakDuration", resilience.CircuitBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        if (resilience.AttemptTimeout > broker.StackTimeBudget)
        {
            problems.Add($"{key}:AttemptTimeout ({Format(resilience.AttemptTimeout)}) must not exceed {Root}:Broker:StackTimeBudget ({Format(broker.StackTimeBudget)})");
        }
    }

    private static void CheckModels(List<StructureModelOptions> models, List<string> problems)
    {
        var seen = new Dictionary<(string, Messages.Modality), int>();
        for (var i = 0; i < models.Count; i++)
        {
            var key = $"{Root}:Models:{i}";
            var model = models[i];
            if (!PredictionLayout.IsValidIdentifier(model.Structure))
            {
                problems.Add($"{key}:Structure must be 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit, got '{model.Structure}'");
            }
            else if (seen.TryGetValue((model.Structure, model.Modality), out var first))
            {
                problems.Add($"{key} repeats structure '{model.Structure}' for modality {model.Modality} (already {Root}:Models:{first})");
            }
            else
            {
                seen[(model.Structure, model.Modality)] = i;
            }

            if (!Enum.IsDefined(model.Modality))
            {
                problems.Add($"{key}:Modality must be BrightField, Dic or Em");
            }

            if (model.Location.Container is not null)
            {
                ContainerName(problems, $"{key}:Location:Container", model.Location.Container);
            }

            if (model.WeightsSha256 is { } pinned && !(pinned.Length == 64 && pinned.All(char.IsAsciiHexDigitLower)))
            {
                problems.Add($"{key}:WeightsSha256 must be 64 lowercase hexadecimal digits, got '{pinned}'");
            }

            var prefix = model.Location.Prefix;
            if (prefix is null || !prefix.StartsWith(PredictionLayout.ModelsPrefix, StringComparison.Ordinal)
                || prefix.Length == PredictionLayout.ModelsPrefix.Length || !IsFolderPrefix(prefix))
            {
                problems.Add($"{key}:Location:Prefix must start with '{PredictionLayout.ModelsPrefix}' and name a bundle folder ending in '/', e.g. 'models/dna/v1/', got '{prefix}'");
            }
        }
    }

    private static void CheckPrediction(PredictionOptions prediction, List<string> problems)
    {
        const string key = $"{Root}:Prediction";
        InRange(problems, $"{key}:CpuThreads", prediction.CpuThreads, 0, 1024);
        InRange(problems, $"{key}:MaxVoxelsPerPass", prediction.MaxVoxelsPerPass, 4096L, int.MaxValue);
        if (prediction.Margin is { } margin)
        {
            InRange(problems, $"{key}:Margin", margin, 0, 1024);
        }

        if (!Enum.IsDefined(prediction.Precision))
        {
            problems.Add($"{key}:Precision must be Float32 or BFloat16");
        }

        InRange(problems, $"{key}:MaxInputVoxels", prediction.MaxInputVoxels, 1L, 1L << 40);
    }

    private static void CheckHttp(HttpOptions http, List<string> problems)
    {
        var urls = (http.Urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0 || !urls.All(IsListeningUrl))
        {
            problems.Add($"{Root}:Http:Urls must be one or more http:// or https:// URLs with a port, separated by ';', got '{http.Urls}'");
        }
    }

    // Kestrel accepts "+" and "*" as hosts, which Uri does not parse: check the shape by hand.
    private static bool IsListeningUrl(string url)
    {
        var rest = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? url[7..]
            : url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..]
            : null;
        if (rest is null)
        {
            return false;
        }

        var colon = rest.LastIndexOf(':');
        var port = colon > 0 ? rest[(colon + 1)..].TrimEnd('/') : "";
        return port.Length > 0 && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535;
    }

    // Azure's container rules, applied to the local store too so a local setup moves to Azure unchanged.
    private static void ContainerName(List<string> problems, string key, string? value)
    {
        var valid = value is { Length: >= 3 and <= 63 }
            && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && value[0] != '-' && value[^1] != '-'
            && !value.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            problems.Add($"{key} must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, got '{value}'");
        }
    }

    private static bool IsFolderPrefix(string prefix) =>
        prefix.EndsWith('/') && prefix[..^1].Split('/').All(PredictionLayout.IsValidIdentifier);

    private static bool IsUsableConnectionString(string connectionString)
    {
        try
        {
            // Parses only; no request is made.
            _ = new BlobServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void InRange(List<string> problems, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}, got {value}"));
        }
    }

    private static void InRange(List<string> problems, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}, got {value}"));
        }
    }

    private static void InRange(List<string> problems, string key, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            problems.Add($"{key} must be between {Format(min)} and {Format(max)}, got {Format(value)}");
        }
    }

    private static void InRange(List<string> problems, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{key} must be between {Format(min)} and {Format(max)}, got {Format(value)}");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
