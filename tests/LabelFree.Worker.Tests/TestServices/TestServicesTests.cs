using System.Text;
using Azure.Storage.Blobs;
using RabbitMQ.Client;

namespace LabelFree.Worker.Tests.TestServices;

[Collection(RabbitMqCollection.Name)]
public class RabbitMqBrokerTests(RabbitMqBroker broker)
{
    [SkippableFact]
    public async Task A_message_published_to_the_test_broker_is_delivered_back()
    {
        var factory = new ConnectionFactory { Uri = broker.RequireAmqpUri() };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        var body = Encoding.UTF8.GetBytes($"stack {Guid.NewGuid()}");

        await channel.BasicPublishAsync(exchange: "", routingKey: queue.QueueName, body: body);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        BasicGetResult? received = null;
        while (received is null && DateTime.UtcNow < deadline)
        {
            received = await channel.BasicGetAsync(queue.QueueName, autoAck: true);
            if (received is null)
            {
                await Task.Delay(20);
            }
        }

        Assert.NotNull(received);
        Assert.Equal(body, received.Body.ToArray());
    }
}

[Collection(AzuriteCollection.Name)]
public class AzuriteBlobServiceTests(AzuriteBlobService azurite)
{
    [SkippableFact]
    public async Task A_blob_uploaded_to_the_test_storage_reads_back_identical()
    {
        var service = new BlobServiceClient(azurite.RequireConnectionString());
        var container = service.GetBlobContainerClient($"t{Guid.NewGuid():N}");
        await container.CreateAsync();
        try
        {
            var content = new byte[300_000];
            new Random(7).NextBytes(content);
            var blob = container.GetBlobClient("inputs/stack-1.tif");

            await blob.UploadAsync(new BinaryData(content));
            var downloaded = await blob.DownloadContentAsync();

            Assert.Equal(content, downloaded.Value.Content.ToArray());
        }
        finally
        {
            await container.DeleteAsync();
        }
    }
}
