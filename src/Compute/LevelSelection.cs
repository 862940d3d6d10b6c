using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// Finds the fastest compute level at which every requested path passes the known-answer test: levels in
/// <see cref="ComputeLevel.Candidates"/> order (or only the configured one), each tested in a probe process
/// unless this machine's verdict is cached.
/// </summary>
public static class LevelSelection
{
    /// <summary>The levels a choice is made from: the configured one, or all of them.</summary>
    public static IReadOnlyList<ComputeLevel> Levels(ComputeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Level is { } name ? [ComputeLevel.Named(name)] : ComputeLevel.Candidates;
    }

    public static ComputeChoice Choose(IReadOnlyList<ComputePath> paths, ComputeSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        var verdicts = new List<PathVerdict>();
        foreach (var level in Levels(settings))
        {
            verdicts.AddRange(Verify(level, paths, settings, fresh: false, progress));
            if (FirstPassing([level], paths, verdicts) is not null)
            {
                return new ComputeChoice(level, paths, verdicts);
            }
        }

        return new ComputeChoice(null, paths, verdicts);
    }

    /// <summary>The first of <paramref name="levels"/> at which every path has a passing verdict, or null.</summary>
    public static ComputeLevel? FirstPassing(IEnumerable<ComputeLevel> levels, IReadOnlyCollection<ComputePath> paths, IReadOnlyCollection<PathVerdict> verdicts) =>
        levels.FirstOrDefault(level => paths.All(path => verdicts.Any(v => v.Level == level.Name && v.Path == path && v.Passed)));

    /// <summary>
    /// The verdicts of these paths at one level: cached ones, unless <paramref name="fresh"/>, and the rest from a
    /// probe, whose verdicts are cached when conclusive.
    /// </summary>
    public static IReadOnlyList<PathVerdict> Verify(ComputeLevel level, IReadOnlyList<ComputePath> paths, ComputeSettings settings, bool fresh,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        if (!level.IsAvailableOn(CpuDescription.Current))
        {
            return paths.Select(path => PathVerdict.Unavailable(path, level, settings.Threads)).ToList();
        }

        // Injected faults are a test's fiction: they neither come from nor go to the machine's cache.
        var cache = settings.InjectedFaults.Count == 0 ? new VerdictCache(settings.CacheDirectory) : null;
        var key = VerdictCache.Key(settings.Threads);
        var cached = fresh || cache is null ? [] : cache.Read(key).Where(v => v.Level == level.Name && v.Threads == settings.Threads).ToList();
        var missing = paths.Where(path => !cached.Any(v => v.Path == path)).ToList();
        if (missing.Count == 0)
        {
            return paths.Select(path => cached.First(v => v.Path == path)).ToList();
        }

        progress?.Report($"checking {string.Join(", ", missing.Select(ComputePaths.Name))} at compute level {level.Name} against the known answers");
        var probe = ProbeProcess.Run(level, missing, settings);
        if (probe.Conclusive)
        {
            cache?.Store(key, probe.Verdicts);
        }

        return paths.Select(path => cached.Concat(probe.Verdicts).First(v => v.Path == path)).ToList();
    }
}
