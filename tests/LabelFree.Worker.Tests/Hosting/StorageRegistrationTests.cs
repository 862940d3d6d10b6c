using System.Text;
using Azure.Storage.Blobs;
using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using LabelFree.Worker.Tests.TestServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LabelFree.Worker.Tests.Hosting;

/// <summary>AddLabelFreeStorage turns configuration into a working store, layout and location policy.</summary>
[Collection(AzuriteCollection.Name)]
public class StorageRegistrationTests(AzuriteBlobService azurite)
{
    [Fact]
    public async Task Local_storage_writes_the_layouts_names_under_the_configured_root()
    {
        var root = TestEnvironment.NewTempFolder("labelfree-root");
        try
        {
            using var host = HostWith(new Dictionary<string, string?> { ["LabelFree:Storage:LocalRoot"] = root });
            var store = host.Services.GetRequiredService<IBlobStore>();
            var layout = host.Services.GetRequiredService<PredictionLayout>();

            Assert.True(await store.TryCreateAsync(layout.Manifest("plate-7", "well-B4"), Encoding.UTF8.GetBytes("{}"), "application/json"));

            Assert.True(File.Exists(Path.Combine(root, "labelfree", "predictions", "plate-7", "well-B4", "manifest.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_policy_allows_inputs_outputs_and_each_configured_model_location_and_nothing_else()
    {
        using var host = HostWith(new Dictionary<string, string?>
        {
            ["LabelFree:Storage:InputContainer"] = "acquisitions",
            ["LabelFree:Models:0:Structure"] = "mbp",
            ["LabelFree:Models:0:Modality"] = "Em",
            ["LabelFree:Models:0:Location:Container"] = "em-models",
            ["LabelFree:Models:0:Location:Prefix"] = "models/mbp/v1/",
        });
        var policy = host.Services.GetRequiredService<BlobLocationPolicy>();

        Assert.True(policy.IsAllowed(Location("acquisitions", "plate-7/well-B4.tif"), out _));
        Assert.True(policy.IsAllowed(Location("labelfree", "predictions/plate-7/well-B4/prediction.ome.tiff"), out _));
        Assert.True(policy.IsAllowed(Location("labelfree", "models/dna/v3/model.json"), out _));
        Assert.True(policy.IsAllowed(Location("em-models", "models/mbp/v1/weights.pt"), out _));
        Assert.False(policy.IsAllowed(Location("em-models", "private/keys.txt"), out _));
        Assert.False(policy.IsAllowed(Location("inputs", "plate-7/well-B4.tif"), out _));
        Assert.False(policy.IsAllowed(Location("labelfree", "plate-7/well-B4.tif"), out _));
    }

    [SkippableFact]
    public async Task Azure_storage_from_configuration_reads_and_writes_azurite()
    {
        var connectionString = azurite.RequireConnectionString();
        var output = $"out-{Guid.NewGuid():N}"[..20];
        using var host = HostWith(new Dictionary<string, string?>
        {
            ["LabelFree:Storage:Kind"] = "AzureBlob",
            ["LabelFree:Storage:ConnectionString"] = connectionString,
            ["LabelFree:Storage:OutputContainer"] = output,
        });
        var store = host.Services.GetRequiredService<IBlobStore>();
        var manifest = host.Services.GetRequiredService<PredictionLayout>().Manifest("plate-7", "well-B4");
        try
        {
            Assert.True(await store.TryCreateAsync(manifest, Encoding.UTF8.GetBytes("{\"done\":true}"), "application/json"));

            Assert.IsType<AzureBlobStore>(store);
            var stored = await new BlobServiceClient(connectionString).GetBlobContainerClient(output)
                .GetBlobClient("predictions/plate-7/well-B4/manifest.json").DownloadContentAsync();
            Assert.Equal("{\"done\":true}", stored.Value.Content.ToString());
        }
        finally
        {
            await new BlobServiceClient(connectionString).GetBlobContainerClient(output).DeleteIfExistsAsync();
        }
    }

    private static BlobLocation Location(string container, string name) => new() { Container = container, Name = name };

    private static IHost HostWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLabelFreeOptions(builder.Configuration);

        // No telemetry: this collection runs beside the workers' one, and disposing a host that owns a
        // "LabelFree.Worker" meter ends the series of that name for every host in the process (OpenTelemetry
        // merges same-named instruments), which a dashboard scrape running meanwhile would miss.
        builder.Services.AddLabelFreeStorage();
        return builder.Build();
    }
}
