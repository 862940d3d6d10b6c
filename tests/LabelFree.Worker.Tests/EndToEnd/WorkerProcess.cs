using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>`dotnet labelfree.dll serve` as a child process configured by LABELFREE__ environment variables.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private WorkerProcess(Process process, int port)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The libraries the worker process has mapped, from /proc (e.g. to see which allocator it runs on).</summary>
    public string MappedLibraries => File.ReadAllText($"/proc/{_process.Id}/maps");

    /// <summary>Starts the worker with <paramref name="settings"/> ("LabelFree:Broker:Url" becomes LabelFree__Broker__Url) serving HTTP on <paramref name="port"/>.</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> settings, int port, string workingDirectory)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "labelfree.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "serve"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["LabelFree__Http__Urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        start.Environment["Logging__LogLevel__LabelFree"] = "Information";
        var process = Process.Start(start)!;
        var worker = new WorkerProcess(process, port);
        process.OutputDataReceived += (_, line) => worker.Append(line.Data);
        process.ErrorDataReceived += (_, line) => worker.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public Task WaitUntilReadyAsync(TimeSpan timeout) => ChildProcesses.WaitUntilAsync(async () =>
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The worker exited with {_process.ExitCode}:\n{Output}");
        }

        try
        {
            using var response = await _http.GetAsync(new Uri("readyz", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }, timeout, "the worker's /readyz");

    /// <summary>The value of a Prometheus series without labels beyond the OpenTelemetry scope (summed over the series found).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var text = await _http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL: the process dies at once, holding whatever it held.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for a graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        ChildProcesses.Signal(_process.Id, "TERM");
        if (!await ChildProcesses.WaitForExitAsync(_process, timeout))
        {
            await KillAsync();
            throw new TimeoutException($"The worker did not stop within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        _http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
