namespace LabelFree.Compute;

/// <summary>No compute level passes the self-test for a path a verb needs: the verb does not start.</summary>
public sealed class ComputeRefusedException(ComputeChoice choice) : Exception(choice.Describe())
{
    public ComputeChoice Choice { get; } = choice;
}
