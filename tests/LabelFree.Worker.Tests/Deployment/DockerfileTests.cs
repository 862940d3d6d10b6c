using System.Globalization;
using System.Xml.Linq;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// What can be checked of the Dockerfile without a Docker engine: the build stage's inputs exist and
/// reach the build context, the restore layer is complete, the runtime stage's user, entry point,
/// health check and writable paths, and the app layout that `dotnet publish` gives the image.
/// </summary>
public class DockerfileTests(PublishedWorker published) : IClassFixture<PublishedWorker>
{
    private const string OpenCvRuntimePackage = "OpenCvSharp4.official.runtime.linux-x64";

    private static string Root => TestEnvironment.RepositoryRoot;

    private static Dockerfile Image => Dockerfile.Load(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public void Build_stage_copies_only_files_that_exist_and_reach_the_build_context()
    {
        var ignore = DockerIgnore.Load(Path.Combine(Root, ".dockerignore"));
        var sources = ContextSources(Image.Stage("build").Instructions).ToList();

        var problems = sources
            .Where(source => !File.Exists(Path.Combine(Root, source)) && !Directory.Exists(Path.Combine(Root, source)))
            .Select(source => $"{source} does not exist")
            .Concat(sources.Where(ignore.Excludes).Select(source => $"{source} is excluded by .dockerignore"))
            .ToList();

        Assert.NotEmpty(sources);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Restore_layer_holds_every_project_and_build_setting_that_restore_reads()
    {
        var build = Image.Stage("build");
        var restore = build.Run("dotnet restore");
        var publish = build.Run("dotnet publish");
        var project = OperandAfter(restore, "restore");
        var copiedBeforeRestore = ContextSources(build.Instructions.TakeWhile(i => i != restore)).ToHashSet(StringComparer.Ordinal);

        var needed = ProjectClosure(Path.Combine(Root, project))
            .Concat(Directory.EnumerateFiles(Root, "Directory.*").Where(f => f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal)))
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .ToList();
        var missing = needed.Where(path => !copiedBeforeRestore.Contains(path)).ToList();

        Assert.True(File.Exists(Path.Combine(Root, project)), $"restore names {project}, which does not exist");
        Assert.True(missing.Count == 0, $"restore runs before these are copied: {string.Join(", ", missing)}");
        // Publish reuses that restore (--no-restore), so it must build the same project with the same properties.
        Assert.Equal(project, OperandAfter(publish, "publish"));
        Assert.Contains("--no-restore", publish.Operands);
        Assert.Equal(Properties(restore), Properties(publish));
    }

    [Fact]
    public void Runtime_image_runs_labelfree_dll_as_a_non_root_numeric_user()
    {
        var runtime = Image.Final;
        var user = runtime.Single("USER").Arguments.Split(':')[0];
        var publishOutput = OperandAfter(Image.Stage("build").Run("dotnet publish"), "-o");
        var copy = Assert.Single(runtime.All("COPY"), c => c.Flags.GetValueOrDefault("from") == "build");
        var workdir = runtime.Single("WORKDIR").Arguments;

        Assert.True(int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid > 0,
            $"USER must be a numeric non-root id so Kubernetes' runAsNonRoot can verify it, got '{user}'");
        Assert.Equal(["dotnet", "labelfree.dll"], runtime.Single("ENTRYPOINT").ExecArray);
        Assert.Equal(["serve"], runtime.Single("CMD").ExecArray);
        Assert.Equal(publishOutput.TrimEnd('/'), copy.Operands[0].TrimEnd('/'));
        Assert.Contains(copy.Operands[1].TrimEnd('/'), new[] { ".", workdir.TrimEnd('/') });
    }

    [Fact]
    public void Runtime_image_writes_only_under_tmp_so_the_root_filesystem_can_be_read_only()
    {
        var environment = Image.Final.Environment();

        Assert.Equal("/tmp", environment.GetValueOrDefault("TMPDIR"));
        Assert.Equal("/tmp", environment.GetValueOrDefault("HOME"));
    }

    [Fact]
    public void Healthcheck_asks_healthz_on_the_port_the_worker_listens_on()
    {
        var runtime = Image.Final;
        var urls = runtime.Environment().GetValueOrDefault("LABELFREE__Http__Urls") ?? "";
        var port = urls[(urls.LastIndexOf(':') + 1)..];
        var command = runtime.Single("HEALTHCHECK").ExecArray ?? [];

        Assert.StartsWith("http://+:", urls, StringComparison.Ordinal);
        Assert.Equal("curl", command.FirstOrDefault());
        Assert.Contains($"http://127.0.0.1:{port}/healthz", command);
        Assert.Equal(port, runtime.Single("EXPOSE").Arguments);
        // The aspnet base image has no curl: the runtime stage must install it.
        Assert.Contains("curl", runtime.Run("apt-get install").Operands);
    }

    [Fact]
    public void Runtime_image_installs_the_native_libraries_opencv_links()
    {
        var packages = Image.Final.Run("apt-get install").Operands;

        // libOpenCvSharpExtern.so needs GTK 3 (noble: libgtk-3-0t64), libdrm and libatomic; GTK pulls in the rest.
        Assert.Contains(packages, p => p is "libgtk-3-0t64" or "libgtk-3-0");
        Assert.Contains("libdrm2", packages);
        Assert.Contains("libatomic1", packages);
    }

    [Fact]
    public void Publish_gives_the_layout_the_entrypoint_starts()
    {
        Assert.True(published.ExitCode == 0, published.Output);
        foreach (var file in new[] { "labelfree.dll", "labelfree.runtimeconfig.json", "labelfree.deps.json" })
        {
            Assert.True(File.Exists(Path.Combine(published.Folder, file)), $"{file} missing from the published app");
        }

        // What `docker run IMAGE --help` runs: ENTRYPOINT from the WORKDIR holding the published files.
        var (exitCode, output) = ExternalCommand.Run("dotnet", ["labelfree.dll", "--help"], published.Folder, TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, output);
        Assert.Contains("labelfree", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_command_is_a_verb_of_the_published_app()
    {
        Assert.True(published.ExitCode == 0, published.Output);
        var command = Image.Final.Single("CMD").ExecArray!;

        var (exitCode, output) = ExternalCommand.Run("dotnet", ["labelfree.dll", .. command, "--help"], published.Folder, TimeSpan.FromMinutes(1));

        // For an unknown verb System.CommandLine prints the root's help and exits 0, so look for the verb's own usage line.
        Assert.True(exitCode == 0, output);
        Assert.Contains($"labelfree {string.Join(' ', command)} [", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_libtorchsharp_needs_glibcxx_3_4_32_only_weakly()
    {
        Assert.True(published.ExitCode == 0, published.Output);
        var shim = Path.Combine(published.Folder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(shim), $"{shim} missing from the published app");

        var requirements = ElfVersionRequirement.Read(shim);

        // The reader sees the shim's libstdc++ requirements at all...
        Assert.Contains(requirements, r => r.Library == "libstdc++.so.6" && r.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal));
        // ...and the one Debian 12 lacks is weak, so the published app loads on hosts without GCC 13's libstdc++.
        Assert.DoesNotContain(requirements, r => r.Version == "GLIBCXX_3.4.32" && !r.Weak);
    }

    [Fact]
    public void Published_app_holds_the_opencv_native_library_exactly_when_a_project_references_it()
    {
        Assert.True(published.ExitCode == 0, published.Output);
        var referenced = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Any(project => File.ReadAllText(project).Contains(OpenCvRuntimePackage, StringComparison.Ordinal));

        var present = File.Exists(Path.Combine(published.Folder, "runtimes", "linux-x64", "native", "libOpenCvSharpExtern.so"));

        Assert.Equal(referenced, present);
    }

    // Sources of COPY instructions that read the build context (not --from another stage).
    private static IEnumerable<string> ContextSources(IEnumerable<DockerInstruction> instructions) =>
        instructions.Where(i => i.Keyword == "COPY" && !i.Flags.ContainsKey("from"))
            .SelectMany(copy => copy.Operands.SkipLast(1))
            .Select(source => source.TrimEnd('/'));

    private static string OperandAfter(DockerInstruction instruction, string word)
    {
        var operands = instruction.Operands.ToList();
        var index = operands.IndexOf(word);
        Assert.True(index >= 0 && index + 1 < operands.Count, $"line {instruction.Line}: nothing follows '{word}'");
        return operands[index + 1];
    }

    private static string[] Properties(DockerInstruction instruction) =>
        instruction.Operands.Where(o => o.StartsWith("-p:", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    // The project and every project it references, directly or not.
    private static HashSet<string> ProjectClosure(string project)
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!closure.Add(current))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var include = ((string?)reference.Attribute("Include") ?? "").Replace('\\', '/');
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }

        return closure;
    }
}
