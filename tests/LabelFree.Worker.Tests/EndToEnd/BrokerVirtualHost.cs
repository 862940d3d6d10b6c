using System.Net.Http.Headers;
using System.Text;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// A RabbitMQ virtual host of one test's own, made and removed through the management API, so its queues
/// (the worker's stack-acquired among them) are its own. Without a management API the default vhost is used.
/// </summary>
internal sealed class BrokerVirtualHost : IAsyncDisposable
{
    private readonly string? _managementUrl;

    private BrokerVirtualHost(string? managementUrl, string name, Uri amqpUri)
    {
        _managementUrl = managementUrl;
        Name = name;
        AmqpUri = amqpUri;
    }

    /// <summary>The vhost's name ("" for the default vhost).</summary>
    public string Name { get; }

    /// <summary>amqp://.../{vhost}.</summary>
    public Uri AmqpUri { get; }

    /// <param name="managementUrl">The broker's management API (default RABBITMQ_MANAGEMENT_URL).</param>
    public static async Task<BrokerVirtualHost> CreateAsync(Uri broker, string? managementUrl = null)
    {
        managementUrl ??= Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_URL");
        var name = managementUrl is null ? "" : $"lf-{Guid.NewGuid().ToString("N")[..10]}";
        var host = new BrokerVirtualHost(managementUrl, name, new UriBuilder(broker) { Path = "/" + name }.Uri);
        if (managementUrl is not null)
        {
            await host.ManageAsync(HttpMethod.Put, $"api/vhosts/{name}", null);
            await host.ManageAsync(HttpMethod.Put, $"api/permissions/{name}/guest", """{"configure":".*","write":".*","read":".*"}""");
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (_managementUrl is not null)
        {
            await ManageAsync(HttpMethod.Delete, $"api/vhosts/{Name}", null);
        }
    }

    private async Task ManageAsync(HttpMethod method, string path, string? body)
    {
        var root = new Uri(_managementUrl!);
        using var client = new HttpClient { BaseAddress = new UriBuilder(root) { UserName = "", Password = "" }.Uri };
        var credentials = Uri.UnescapeDataString(root.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
