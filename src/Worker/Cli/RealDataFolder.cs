namespace LabelFree.Worker.Cli;

/// <summary>
/// Where the bench verbs find the real microscope images (the shared data set, never part of the repository):
/// --real-data, else $LABELFREE_REAL_DATA, else ../shared/data/real.
/// </summary>
public static class RealDataFolder
{
    public const string Description = "Folder of the real images (shared/data/real); default: $LABELFREE_REAL_DATA, else ../shared/data/real.";

    /// <summary>The folder, or null when no option was given and the default does not exist.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder given with --real-data does not exist.</exception>
    public static string? Locate(DirectoryInfo? option)
    {
        var folder = option?.FullName ?? DefaultPath;
        if (Directory.Exists(folder))
        {
            return folder;
        }

        return option is null ? null : throw new DirectoryNotFoundException($"{folder}: real-data folder not found.");
    }

    /// <summary>The folder the default points at, for a note when it is missing.</summary>
    public static string DefaultPath => Environment.GetEnvironmentVariable("LABELFREE_REAL_DATA") ?? Path.GetFullPath(Path.Combine("..", "shared", "data", "real"));
}
