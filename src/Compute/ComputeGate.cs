using LabelFree.Pipeline.Compute;

namespace LabelFree.Compute;

/// <summary>
/// The one place a process gets its compute level: before its first torch call, every verb that computes
/// (and the worker) asks for the paths it will use. The first request chooses and applies the fastest
/// level that passes for all of them; a later request can only verify more paths at that same level,
/// since libtorch reads its level once. The applied choice is recorded in <see cref="ComputeRecord.Current"/>.
/// </summary>
public static class ComputeGate
{
    private static readonly Lock Gate = new();
    private static ComputeChoice? _applied;

    /// <summary>What this process runs at; null before the first successful request.</summary>
    public static ComputeChoice? Applied
    {
        get
        {
            lock (Gate)
            {
                return _applied;
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
            if (_applied is null)
            {
                var choice = LevelSelection.Choose(paths, settings, progress);
                if (!choice.Refused)
                {
                    Apply(choice.Level!);
                    _applied = choice;
                    ComputeRecord.SetCurrent(choice.ToRecord());
                }

                return choice;
            }

            var level = _applied.Level!;
            var more = paths.Where(path => !_applied.Paths.Contains(path)).ToList();
            if (more.Count == 0)
            {
                return _applied;
            }

            var verdicts = LevelSelection.Verify(level, more, settings, fresh: false, progress);
            var extended = _applied with { Paths = [.. _applied.Paths, .. more], Verdicts = [.. _applied.Verdicts, .. verdicts] };
            if (verdicts.Any(v => !v.Passed))
            {
                return new ComputeChoice(null, paths, extended.Verdicts);
            }

            _applied = extended;
            ComputeRecord.SetCurrent(extended.ToRecord());
            return extended;
        }
    }

    /// <summary>Like <see cref="Ensure"/>, for verbs: a refusal is an exception that says why.</summary>
    /// <exception cref="ComputeRefusedException">No level passes for every path.</exception>
    public static ComputeChoice Require(IReadOnlyList<ComputePath> paths, ComputeSettings settings, IProgress<string>? progress = null)
    {
        var choice = Ensure(paths, settings, progress);
        return choice.Refused ? throw new ComputeRefusedException(choice) : choice;
    }

    private static void Apply(ComputeLevel level)
    {
        var variables = level.Environment();
        if (variables.Count > 0 && ProcessEnvironment.IsLibTorchLoaded())
        {
            throw new InvalidOperationException(
                $"Compute level {level.Name} must be applied before the process's first torch call, but libtorch is already loaded.");
        }

        foreach (var name in new[] { "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY" })
        {
            ProcessEnvironment.Set(name, variables.GetValueOrDefault(name));
        }

        if (!level.UsesOneDnn)
        {
            OneDnnSwitch.Set(false);
        }
    }
}
