namespace LabelFree.Pipeline.Models;

/// <summary>A model bundle that cannot be used, with the bundle folder and the reason named.</summary>
public sealed class ModelBundleException : Exception
{
    public ModelBundleException(string bundle, ModelBundleProblem problem, string reason, Exception? inner = null)
        : base($"model bundle {bundle}: {reason}", inner)
    {
        Bundle = bundle;
        Problem = problem;
        Reason = reason;
    }

    /// <summary>The bundle folder.</summary>
    public string Bundle { get; }

    public ModelBundleProblem Problem { get; }

    /// <summary>The human explanation, without the bundle.</summary>
    public string Reason { get; }

    /// <summary>For <see cref="ModelBundleProblem.WeightsHashMismatch"/>: the SHA-256 model.json records.</summary>
    public string? ExpectedSha256 { get; private init; }

    /// <summary>For <see cref="ModelBundleProblem.WeightsHashMismatch"/>: the SHA-256 of the file found.</summary>
    public string? ActualSha256 { get; private init; }

    public static ModelBundleException HashMismatch(string bundle, string weightsFile, string expected, string actual) =>
        new(bundle, ModelBundleProblem.WeightsHashMismatch,
            $"{weightsFile} has SHA-256 {actual} but model.json records {expected}; the weights were changed or replaced, so they are refused.")
        {
            ExpectedSha256 = expected,
            ActualSha256 = actual,
        };
}
