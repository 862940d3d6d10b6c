using System.Diagnostics;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// An Azurite blob service of the test's own (port and data folder), so the test can take storage away
/// and bring it back with the data intact. Stopped with SIGINT (Azurite ignores a single SIGTERM).
/// </summary>
internal sealed class PrivateAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;
    private readonly string _location;
    private Process? _process;

    private PrivateAzurite(string executable, int port, string location)
    {
        _executable = executable;
        Port = port;
        _location = location;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<PrivateAzurite> StartAsync()
    {
        var executable = Path.Combine(TestEnvironment.RepositoryRoot, "tools", "azurite", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(executable))
        {
            ServiceAvailability.Missing($"Azurite is not installed at {executable} (run ./test.sh or scripts/install-prerequisites.sh)");
        }

        var azurite = new PrivateAzurite(executable, ChildProcesses.FreePort(), TestEnvironment.NewTempFolder("labelfree-azurite"));
        await azurite.RestartAsync();
        return azurite;
    }

    /// <summary>Starts Azurite on the same port and data folder and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(_executable,
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _location,
             "--skipApiVersionCheck", "--loose", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await ChildProcesses.WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/devstoreaccount1?comp=list"));
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"Azurite on port {Port}");
    }

    /// <summary>
    /// Stops Azurite: SIGINT, then SIGTERM once a second (it closes its listener on the first signal but
    /// its node process can linger while clients keep connections open), then SIGKILL.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        foreach (var signal in new[] { "INT", "TERM", "TERM", "TERM" })
        {
            ChildProcesses.Signal(_process.Id, signal);
            if (await ChildProcesses.WaitForExitAsync(_process, TimeSpan.FromSeconds(1)))
            {
                break;
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_location, recursive: true);
    }
}
