using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// How a process chooses its compute level: an explicit level or none (try every level, fastest first),
/// where verdicts are cached, how many threads the kernels run on (the self-test runs on the same number,
/// since a fault can depend on it). From the environment: LABELFREE_COMPUTE_LEVEL, LABELFREE_COMPUTE_CACHE.
/// </summary>
public sealed record ComputeSettings
{
    public const string LevelVariable = "LABELFREE_COMPUTE_LEVEL";
    public const string CacheVariable = "LABELFREE_COMPUTE_CACHE";

    private readonly int _threads = Environment.ProcessorCount;

    /// <summary>A level to use instead of choosing one; verified like any other (<see cref="ComputeLevel.Named"/>).</summary>
    public string? Level { get; init; }

    /// <summary>Folder of cached verdicts; in Kubernetes an emptyDir or a volume.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>libtorch threads of the work to verify: verdicts are per thread count, since a fault can depend on it.</summary>
    public int Threads
    {
        get => _threads;
        init => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "At least one thread.");
    }

    /// <summary>The longest one probe process may take before its level counts as failed.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Fault injection for tests of the selection: at these (path, level) pairs the probe corrupts what the
    /// path computed before comparing it. Verdicts are then never cached.
    /// </summary>
    internal IReadOnlyList<(ComputePath Path, string Level)> InjectedFaults { get; init; } = [];


    public static ComputeSettings FromEnvironment()
    {
        var level = Environment.GetEnvironmentVariable(LevelVariable);
        var cache = Environment.GetEnvironmentVariable(CacheVariable);
        return new ComputeSettings
        {
            Level = string.IsNullOrWhiteSpace(level) ? null : level.Trim(),
            CacheDirectory = string.IsNullOrWhiteSpace(cache) ? DefaultCacheDirectory() : cache,
        };
    }

    private static string DefaultCacheDirectory()
    {
        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cacheHome))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cacheHome = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
        }

        return Path.Combine(cacheHome, "labelfree", "compute");
    }
}
