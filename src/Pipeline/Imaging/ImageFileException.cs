namespace LabelFree.Pipeline.Imaging;

/// <summary>An image file that cannot be used, with the file and the reason named.</summary>
public sealed class ImageFileException : Exception
{
    public ImageFileException(string path, ImageProblem problem, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Problem = problem;
        Reason = reason;
    }

    /// <summary>The file (or blob name) that was read.</summary>
    public string Path { get; }

    public ImageProblem Problem { get; }

    /// <summary>The human explanation, without the path.</summary>
    public string Reason { get; }
}
