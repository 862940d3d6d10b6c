namespace LabelFree.Pipeline.Tests.TestSupport;

/// <summary>Facts about where the tests run.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>True under CI=true: a test that needs a missing service or data set fails instead of skipping.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder that holds LabelFree.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>A fresh empty folder under the system temp folder, for one test's files.</summary>
    public static string NewTempFolder(string prefix = "labelfree-test")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "LabelFree.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException(
            $"LabelFree.sln not found above {AppContext.BaseDirectory}.");
    }
}
