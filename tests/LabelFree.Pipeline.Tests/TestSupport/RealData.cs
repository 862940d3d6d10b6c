namespace LabelFree.Pipeline.Tests.TestSupport;

/// <summary>
/// Locates the real microscope images in ../shared/data/real (beside the repository). CI has them;
/// a user's clone does not, so tests skip there and say why. Under CI=true a missing folder fails.
/// The files are never copied into the repository: several are licensed for non-commercial research only.
/// </summary>
public static class RealData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>Full path of a file under shared/data/real; skips (or fails under CI) when absent.</summary>
    public static string File(string relativePath)
    {
        var root = Root.Value;
        if (root is null)
        {
            const string why = "The real data folder ../shared/data/real is not beside this clone (set LABELFREE_REAL_DATA to point at it).";
            if (TestEnvironment.IsCi)
            {
                throw new InvalidOperationException("CI=true but " + why);
            }

            throw new SkipException(why);
        }

        var path = Path.Combine(root, relativePath);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"Real data file {relativePath} is missing from {root}.", path);
        }

        return path;
    }

    private static string? FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LABELFREE_REAL_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        var repository = TestEnvironment.RepositoryRoot;
        var candidate = Path.GetFullPath(Path.Combine(repository, "..", "shared", "data", "real"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
