namespace LabelFree.Pipeline.Training;

/// <summary>
/// A training step produced NaN or infinity. Either the optimisation diverged or the arithmetic is wrong
/// on this machine; the weights were not updated with it and no model bundle is written.
/// </summary>
public sealed class NonFiniteTrainingException(int iteration, string finding)
    : Exception($"Training stopped at iteration {iteration}: {finding}. No model bundle was written. " +
                "If the loss was falling until then, suspect the arithmetic: 'labelfree selftest' checks this machine's compute paths.")
{
    public int Iteration { get; } = iteration;

    /// <summary>What was not finite, e.g. "the loss is NaN" or "the gradient of conv_out.weight holds NaN or infinite values".</summary>
    public string Finding { get; } = finding;
}
