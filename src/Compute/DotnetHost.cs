namespace LabelFree.Compute;

/// <summary>
/// The dotnet executable that starts child processes of this build: the current process's when it runs under
/// `dotnet labelfree.dll`; otherwise (an apphost, a test runner) the SDK's DOTNET_HOST_PATH or dotnet on PATH.
/// </summary>
public static class DotnetHost
{
    public static string Path
    {
        get
        {
            var current = Environment.ProcessPath;
            if (current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet")
            {
                return current;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }
    }
}
