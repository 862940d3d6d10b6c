using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// The one place a process gets its compute level: before its first torch call, every verb that computes
/// (and the worker) asks for the paths it will use, at the thread count it will use. The first request
/// chooses and applies the fastest level that passes for all of them; a later request can only verify more
/// paths (or other thread counts) at that same level, since libtorch reads its level once. What this process
/// verified is recorded in <see cref="ComputeRecord.Current"/>.
/// </summary>
public static class ComputeGate
{
    private static readonly Lock Gate = new();
    private static readonly List<PathVerdict> Verified = [];
    private static ComputeLevel? _level;

    /// <summary>The level this process runs at and what was verified there; null before the first successful request.</summary>
    public static ComputeChoice? Applied
    {
        get
        {
            lock (Gate)
            {
                return _level is null ? null : new ComputeChoice(_level, Verified.Select(v => v.Path).Distinct().ToList(), [.. Verified]);
            }
        }
    }

    /// <summary>The level for these paths, applied to this process; or a refusal, applying nothing.</summary>
    public static ComputeChoice Ensure(IReadOnlyList<ComputePath> paths, ComputeSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(settings);
        lock (Gate)
        {
            if (_level is null)
            {
                var choice = LevelSelection.Choose(paths, settings, progress);
                if (!choice.Refused)
                {
                    Apply(choice.Level!);
                    _level = choice.Level;
                    Verified.AddRange(choice.ChosenVerdicts);
                    ComputeRecord.SetCurrent(ComputeChoice.Record(_level!, Verified));
                }

                return choice;
            }

            var missing = paths.Where(path => !Verified.Any(v => v.Path == path && v.Threads == settings.Threads)).ToList();
            var verdicts = LevelSelection.Verify(_level, missing, settings, fresh: false, progress);
            if (verdicts.Any(v => !v.Passed))
            {
                return new ComputeChoice(null, paths, verdicts,
                    $"{string.Join(" + ", missing.Select(ComputePaths.Name))} fails the self-test at compute level {_level.Name}, which this process " +
                    "already runs at (libtorch reads its level once); run it in a process of its own.");
            }

            Verified.AddRange(verdicts);
            ComputeRecord.SetCurrent(ComputeChoice.Record(_level, Verified));
            return new ComputeChoice(_level, paths, Verified.Where(v => paths.Contains(v.Path) && v.Threads == settings.Threads).ToList());
        }
    }

    /// <summary>Like <see cref="Ensure"/>, for verbs: a refusal is an exception that says why.</summary>
    /// <exception cref="ComputeRefusedException">No level passes for every path.</exception>
    public static ComputeChoice Require(IReadOnlyList<ComputePath> paths, ComputeSettings settings, IProgress<string>? progress = null)
    {
        var choice = Ensure(paths, settings, progress);
        return choice.Refused ? throw new ComputeRefusedException(choice) : choice;
    }

    // Every level variable gets its level's value (or none). Once libtorch is loaded it may have read them
    // already, so then nothing may change: the process would claim a level it does not run at.
    private static void Apply(ComputeLevel level)
    {
        var wanted = level.Environment();
        var changes = ComputeLevel.VariableNames
            .Where(name => Environment.GetEnvironmentVariable(name) != wanted.GetValueOrDefault(name))
            .ToList();
        if (changes.Count > 0 && ProcessEnvironment.IsLibTorchLoaded())
        {
            throw new InvalidOperationException(
                $"Compute level {level.Name} must be applied before the process's first torch call, but libtorch is already loaded " +
                $"and {string.Join(", ", changes)} would change.");
        }

        foreach (var name in changes)
        {
            ProcessEnvironment.Set(name, wanted.GetValueOrDefault(name));
        }

        if (!level.UsesOneDnn)
        {
            OneDnnSwitch.Set(false);
        }
    }
}
