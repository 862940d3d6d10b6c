using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// Finds the fastest compute level at which every requested path passes the known-answer test: levels in
/// <see cref="ComputeLevel.Candidates"/> order (or only the configured one), each tested in a probe
/// process unless this machine's verdict is cached.
/// </summary>
public static class LevelSelection
{
    public static ComputeChoice Choose(IReadOnlyList<ComputePath> paths, ComputeSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        var candidates = settings.Level is { } name ? [ComputeLevel.Named(name)] : ComputeLevel.Candidates;
        var verdicts = new List<PathVerdict>();
        foreach (var level in candidates)
        {
            var atLevel = Verify(level, paths, settings, fresh: false, progress);
            verdicts.AddRange(atLevel);
            if (atLevel.All(v => v.Passed))
            {
                return new ComputeChoice(level, paths, verdicts);
            }
        }

        return new ComputeChoice(null, paths, verdicts);
    }

    /// <summary>The verdicts of these paths at one level: cached ones, unless <paramref name="fresh"/>, and the rest from a probe.</summary>
    public static IReadOnlyList<PathVerdict> Verify(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings, bool fresh,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(settings);
        if (!level.IsAvailableOn(CpuDescription.Current))
        {
            return paths.Select(path => PathVerdict.Unavailable(path, level)).ToList();
        }

        // Injected faults are a test's fiction: they neither come from nor go to the machine's cache.
        var cache = settings.InjectedFaults.Count == 0 ? new VerdictCache(settings.CacheDirectory) : null;
        var key = VerdictCache.Key(settings.Threads);
        var cached = fresh || cache is null ? [] : cache.Read(key).Where(v => v.Level == level.Name).ToList();
        var missing = paths.Where(path => !cached.Any(v => v.Path == path)).ToList();
        if (missing.Count == 0)
        {
            return paths.Select(path => cached.First(v => v.Path == path)).ToList();
        }

        progress?.Report($"checking {string.Join(", ", missing.Select(ComputePaths.Name))} at compute level {level.Name} against the known answers");
        var measured = ProbeProcess.Run(level, missing, settings);
        cache?.Store(key, measured);
        return paths.Select(path => cached.Concat(measured).First(v => v.Path == path)).ToList();
    }
}
