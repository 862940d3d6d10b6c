namespace LabelFree.Pipeline.Models;

/// <summary>A PyTorch weights file that cannot become an fnet network, with the file and the reason named.</summary>
public sealed class PyTorchImportException : Exception
{
    public PyTorchImportException(string path, PyTorchImportProblem problem, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Problem = problem;
        Reason = reason;
    }

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    public PyTorchImportProblem Problem { get; }

    /// <summary>The human explanation, without the path.</summary>
    public string Reason { get; }
}
