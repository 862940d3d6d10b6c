namespace LabelFree.Pipeline.Tests.TestSupport;

/// <summary>
/// Locates the specifications kept in ../shared/specs beside the repository (e.g. the bioimage.io JSON Schema).
/// CI has them; a clone without the folder skips the tests that need them, and under CI=true they fail.
/// </summary>
public static class SharedSpecs
{
    public static string File(string name)
    {
        var path = Path.GetFullPath(Path.Combine(TestEnvironment.RepositoryRoot, "..", "shared", "specs", name));
        if (System.IO.File.Exists(path))
        {
            return path;
        }

        var why = $"The specification {path} is not beside this clone (../shared/specs).";
        throw TestEnvironment.IsCi ? new InvalidOperationException("CI=true but " + why) : new SkipException(why);
    }
}
