using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>Tests that run a whole worker against the real broker and blob service, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerServicesCollection : ICollectionFixture<RabbitMqBroker>, ICollectionFixture<AzuriteBlobService>
{
    public const string Name = "Worker against RabbitMQ and Azurite";
}
