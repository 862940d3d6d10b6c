using LabelFree.Worker.Consumers;
using LabelFree.Worker.Consumers.Protocol;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// Wires the stack consumer: the model catalog (started first, so nothing is consumed before the models
/// are loaded), the stack job, and MassTransit over RabbitMQ (LabelFree:Broker:Url set) or the in-memory
/// transport (embedded mode).
/// </summary>
public static class WorkerMessagingExtensions
{
    public static IServiceCollection AddLabelFreeConsumer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The transport must be chosen while services are registered; the rest is read from IOptions later,
        // after validation.
        var broker = new BrokerOptions();
        configuration.GetSection($"{WorkerOptions.SectionName}:Broker").Bind(broker);

        // Hosted services start in registration order: the catalog must come before AddMassTransit's bus.
        services.AddSingleton<ModelCatalog>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelCatalog>());
        services.AddSingleton<StackProtocol>();
        services.AddSingleton<StackJob>();
        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
        {
            var grace = worker.Value.ShutdownGracePeriod;

            // Without it, StartAsync returns before the queue and its bindings exist, and early publishes vanish.
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromMinutes(2);

            // On SIGTERM the current stack may finish for most of the grace period; then its token is
            // cancelled, the message goes back to the queue unacknowledged, and the bus stops in the rest.
            host.ConsumerStopTimeout = grace * 0.8;
            host.StopTimeout = grace;
        });
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<StackAcquiredConsumer, StackAcquiredConsumerDefinition>();
            if (broker.IsEmbedded)
            {
                bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
            }
            else
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    transport.Host(new Uri(broker.Url!));
                    transport.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }
}
