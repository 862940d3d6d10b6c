using System.Text.Json;
using LabelFree.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Tests.Hosting;

public class SecretHandlingTests
{
    private const string AccountKey = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItYmUtbG9nZ2VkLTAxMjM0NTY3ODk=";

    private static readonly string ConnectionString =
        $"DefaultEndpointsProtocol=https;AccountName=labelfreeprod;AccountKey={AccountKey};EndpointSuffix=core.windows.net";

    [Fact]
    public void The_options_string_form_names_the_account_but_never_the_key()
    {
        var options = new WorkerOptions
        {
            Storage = new StorageOptions { Kind = StorageKind.AzureBlob, ConnectionString = ConnectionString },
            Broker = new BrokerOptions { Url = "amqp://worker:broker-password@rabbitmq:5672/labelfree" },
        };

        var text = options.ToString();

        Assert.Contains("AzureBlob (account labelfreeprod)", text, StringComparison.Ordinal);
        Assert.Contains("rabbitmq:5672/labelfree", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("broker-password", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, options.Storage.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_as_json_leave_the_connection_string_out()
    {
        var options = new WorkerOptions { Storage = new StorageOptions { Kind = StorageKind.AzureBlob, ConnectionString = ConnectionString } };

        var json = JsonSerializer.Serialize(options);

        Assert.Contains("labelfree", json, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountName=x;AccountKey=" + AccountKey + ";BlobEndpoint=not a url")]
    [InlineData("AccountKey=" + AccountKey)]
    [InlineData(AccountKey)]
    public void A_malformed_connection_string_is_refused_without_echoing_it(string connectionString)
    {
        var options = new WorkerOptions { Storage = new StorageOptions { Kind = StorageKind.AzureBlob, ConnectionString = connectionString } };

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("LabelFree:Storage:ConnectionString is not a valid Azure Storage connection string (the value is not shown)", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_validation_failures_never_include_the_connection_string()
    {
        var options = new WorkerOptions
        {
            Storage = new StorageOptions { Kind = StorageKind.Local, ConnectionString = ConnectionString, OutputContainer = "BAD" },
            Broker = new BrokerOptions { Url = "http://worker:broker-password@rabbitmq/" },
        };

        var result = new WorkerOptionsValidator().Validate(null, options);
        var exception = new OptionsValidationException(Options.DefaultName, typeof(WorkerOptions), result.Failures);

        Assert.True(result.Failed);
        Assert.Contains("LabelFree:Storage:ConnectionString is set but LabelFree:Storage:Kind is Local", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("broker-password", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amqp://worker:broker-password@rabbitmq:5672/labelfree", "amqp://***@rabbitmq:5672/labelfree")]
    [InlineData("worker:broker-password@rabbitmq:5672/labelfree", "***@rabbitmq:5672/labelfree")]
    [InlineData("amqp://worker:pa?ss/broker-password@rabbitmq/", "amqp://***@rabbitmq/")]
    [InlineData("amqp://rabbitmq:5672/labelfree?password=broker-password", "amqp://rabbitmq:5672/labelfree?password=***")]
    [InlineData("amqps://rabbitmq/labelfree?heartbeat=30&x-api-KEY=broker-password&client_secret=broker-password",
        "amqps://rabbitmq/labelfree?heartbeat=30&x-api-KEY=***&client_secret=***")]
    [InlineData("rabbitmq:5672/labelfree?access_token=broker-password&sig=broker-password", "rabbitmq:5672/labelfree?access_token=***&sig=***")]
    [InlineData("https://store.example/c?sv=2024&sig=broker-password", "https://store.example/c?sv=2024&sig=***")]
    public void A_url_is_shown_without_any_credential_however_it_is_written(string url, string shown)
    {
        Assert.Equal(shown, SecretRedaction.Url(url));
    }

    [Theory]
    [InlineData("worker:broker-password@rabbitmq:5672/labelfree")]
    [InlineData("amqp://rabbitmq:5672/labelfree?password=broker-password")]
    [InlineData("amqp://rabbitmq:5672/labelfree?heartbeat=30&token=broker-password")]
    [InlineData("rabbitmq.labelfree.svc/labelfree?secret=broker-password")]
    public void A_broker_password_outside_the_user_info_never_reaches_the_options_text_or_validation_messages(string url)
    {
        var options = new WorkerOptions { Broker = new BrokerOptions { Url = url } };

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.DoesNotContain("broker-password", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("broker-password", options.Broker.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("broker-password", result.FailureMessage ?? "", StringComparison.Ordinal);
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            // Without a scheme the URL is refused, and the refusal shows where it points, not what it holds.
            Assert.True(result.Failed);
            Assert.Contains("LabelFree:Broker:Url must be an amqp://", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("***", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
