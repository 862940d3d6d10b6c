using LabelFree.Compute;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;

namespace LabelFree.Worker.Tests.TestSupport;

/// <summary>
/// A verdict cache (LABELFREE_COMPUTE_CACHE) in which every compute path failed at every level, as on a
/// machine whose arithmetic is wrong whatever the level: a labelfree process given it finds no level and
/// refuses its paths, without any probe having to fail for real.
/// </summary>
internal static class RefusingVerdictCache
{
    public const string Failure = "seeded by the test: the output is off by 1.5 (tolerance 0.001)";

    /// <summary>
    /// A new cache folder holding failed verdicts under the keys this build computes on this machine for a
    /// labelfree process started from this one: as it is, and as it restarts itself on tcmalloc.
    /// </summary>
    /// <param name="threads">The thread count of the process that will read it (part of the key: a fault can depend on it).</param>
    public static string Create(int threads)
    {
        var folder = TestEnvironment.NewTempFolder("labelfree-refusing-verdicts");
        var settings = new ComputeSettings { CacheDirectory = folder, Threads = threads };
        var failed = ComputeLevel.Candidates
            .SelectMany(level => ComputePaths.All.Select(path => new PathVerdict(path, level.Name, threads, false, 1.5, 1e-3, 1, 0.1, Failure)))
            .ToList();
        var cache = new VerdictCache(folder);
        cache.Store(VerdictCache.Key(settings.Threads), failed);
        if (AllocatorLaunch.EnvironmentAfterRestart() is { } restarted)
        {
            cache.Store(VerdictCache.Key(settings.Threads, restarted), failed);
        }

        return folder;
    }
}
