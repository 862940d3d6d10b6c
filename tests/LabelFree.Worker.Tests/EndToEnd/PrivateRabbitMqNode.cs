using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// A RabbitMQ node of the test's own, started with the same bash functions ./test.sh uses
/// (scripts/test-services.sh), so the test can stop and start the broker application under a running
/// worker. stop_app closes every connection but keeps durable queues and persistent messages.
/// </summary>
internal sealed class PrivateRabbitMqNode : IAsyncDisposable
{
    private readonly string _folder;

    private PrivateRabbitMqNode(string folder, Uri amqp, string management, string node)
    {
        _folder = folder;
        AmqpUri = amqp;
        ManagementUrl = management;
        Node = node;
    }

    public Uri AmqpUri { get; }

    public string ManagementUrl { get; }

    public string Node { get; }

    public static async Task<PrivateRabbitMqNode> StartAsync()
    {
        if (!Directory.Exists("/usr/lib/rabbitmq/lib"))
        {
            ServiceAvailability.Missing("rabbitmq-server is not installed (run ./test.sh or scripts/install-prerequisites.sh)");
        }

        var folder = TestEnvironment.NewTempFolder("labelfree-rabbit");
        var output = await ChildProcesses.BashAsync(
            $"set -e; source scripts/test-services.sh; _services_dir='{folder}'; start_rabbitmq >&2; " +
            "echo \"$RABBITMQ_URL\"; echo \"$RABBITMQ_MANAGEMENT_URL\"; echo \"$_rabbit_node\"",
            TestEnvironment.RepositoryRoot, TimeSpan.FromSeconds(120));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PrivateRabbitMqNode(folder, new Uri(lines[0]), lines[1], lines[2]);
    }

    /// <summary>Stops the broker application (all connections drop); the Erlang node keeps running.</summary>
    public Task StopAppAsync() => ControlAsync("stop_app");

    /// <summary>Starts the broker application again and waits until it accepts connections.</summary>
    public async Task StartAppAsync()
    {
        await ControlAsync("start_app");
        await ControlAsync("await_startup --timeout 60");
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_folder, "rabbitmq", "rabbit.pid");
        if (File.Exists(pidFile))
        {
            var pid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
            ChildProcesses.Signal(pid, "TERM");
            await ChildProcesses.WaitUntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(30), "RabbitMQ to stop");
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task ControlAsync(string command) => ChildProcesses.BashAsync(
        $"set -e; sbin=$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin | head -n 1); " +
        $"HOME='{_folder}/rabbitmq/home' \"$sbin/rabbitmqctl\" -n '{Node}' {command} >/dev/null",
        TestEnvironment.RepositoryRoot, TimeSpan.FromSeconds(90));
}
