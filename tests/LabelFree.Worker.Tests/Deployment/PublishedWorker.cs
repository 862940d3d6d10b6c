using System.Reflection;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The worker published the way the Dockerfile publishes it (its project, configuration and -p
/// properties), into a temporary folder: the layout the runtime image copies to /app. Published once
/// per test class, from the build that the test run already made (--no-build: about 5 s, 530 MB).
/// </summary>
public sealed class PublishedWorker : IDisposable
{
    public PublishedWorker()
    {
        Dockerfile = Dockerfile.Load(Path.Combine(TestEnvironment.RepositoryRoot, "Dockerfile"));
        Publish = Dockerfile.Stage("build").Run("dotnet publish");
        Folder = TestEnvironment.NewTempFolder("labelfree-publish");

        // The Dockerfile publishes Release; a test run builds one configuration only, so publish that one.
        var configuration = typeof(PublishedWorker).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var operands = Publish.Operands;
        var project = operands[operands.ToList().IndexOf("publish") + 1];
        var arguments = new List<string>
        {
            "publish", project, "-c", configuration, "-o", Folder, "--no-build", "--nologo",
            "--disable-build-servers", "-nodeReuse:false",
        };
        arguments.AddRange(operands.Where(o => o.StartsWith("-p:", StringComparison.Ordinal)).Select(BuildArgumentDefaults));
        (ExitCode, Output) = ExternalCommand.Run("dotnet", arguments, TestEnvironment.RepositoryRoot, TimeSpan.FromMinutes(3));
    }

    public Dockerfile Dockerfile { get; }

    /// <summary>The build stage's `RUN dotnet publish ...` instruction.</summary>
    public DockerInstruction Publish { get; }

    public string Folder { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    // -p:TorchVariant=$TORCH_VARIANT -> -p:TorchVariant=cpu, the ARG's default in the build stage.
    private string BuildArgumentDefaults(string property)
    {
        var defaults = Dockerfile.Stage("build").All("ARG")
            .Select(arg => arg.Arguments.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        foreach (var (name, value) in defaults)
        {
            property = property.Replace("${" + name + "}", value, StringComparison.Ordinal).Replace("$" + name, value, StringComparison.Ordinal);
        }

        return property;
    }
}
