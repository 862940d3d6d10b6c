using LabelFree.Compute;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.TestSupport;

/// <summary>
/// A verdict cache (LABELFREE_COMPUTE_CACHE) in which every compute path failed at every level, as on a
/// machine whose arithmetic is wrong whatever the level: a labelfree process given it finds no level and
/// refuses its paths, without any probe having to fail for real.
/// </summary>
internal static class RefusingVerdictCache
{
    public const string Failure = "seeded by the test: the output is off by 1.5 (tolerance 0.001)";

    /// <summary>A new cache folder holding failed verdicts under the key this build computes on this machine.</summary>
    public static string Create()
    {
        var folder = TestEnvironment.NewTempFolder("labelfree-refusing-verdicts");
        var failed = ComputeLevel.Candidates
            .SelectMany(level => ComputePaths.All.Select(path => new PathVerdict(path, level.Name, false, 1.5, 1e-3, 1, 0.1, Failure)))
            .ToList();

        // Verbs verify on their own --threads, which is part of the key: cover every count a test may pass.
        for (var threads = 1; threads <= Math.Max(1, Environment.ProcessorCount); threads++)
        {
            new VerdictCache(folder).Store(VerdictCache.Key(threads), failed);
        }
        return folder;
    }
}
