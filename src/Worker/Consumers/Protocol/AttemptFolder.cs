using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// The folder one attempt at a stack uploads into, predictions/{batch}/{stack}/attempt-.../: nothing else writes
/// there, so an attempt that loses the race for the manifest can never have changed the outputs the winner's
/// manifest names.
/// </summary>
public sealed record AttemptFolder(string Container, string Prefix)
{
    public static AttemptFolder New(PredictionLayout layout, string batchId, string stackId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new AttemptFolder(layout.OutputContainer, layout.NewAttemptPrefix(batchId, stackId));
    }

    public BlobLocation File(string name) => new() { Container = Container, Name = Prefix + PredictionLayout.Checked(name, "file name") };
}
