using System.Globalization;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Where a run keeps the weights it would have delivered had it stopped at a given compute time
/// (<see cref="TrainingOptions.Snapshots"/>): <c>{run}/snapshots/at-{seconds}s.dat</c>.
/// </summary>
public static class TrainingSnapshots
{
    public static string PathOf(string runDirectory, TimeSpan at) =>
        Path.Combine(runDirectory, "snapshots", string.Create(CultureInfo.InvariantCulture, $"at-{at.TotalSeconds:0}s.dat"));
}
