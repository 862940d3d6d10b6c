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
}
