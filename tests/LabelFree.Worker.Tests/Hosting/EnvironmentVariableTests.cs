using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Tests.Hosting;

/// <summary>Environment variables are process-wide: tests that set them run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}

[Collection(ProcessEnvironmentCollection.Name)]
public class EnvironmentVariableTests
{
    [Fact]
    public void A_LABELFREE_environment_variable_overrides_appsettings_json()
    {
        var contentRoot = TestEnvironment.NewTempFolder("labelfree-settings");
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), """
            { "LabelFree": { "Broker": { "Concurrency": 2 }, "Prediction": { "CpuThreads": 3 } } }
            """);
        Environment.SetEnvironmentVariable("LABELFREE__Broker__Concurrency", "4");
        Environment.SetEnvironmentVariable("LABELFREE__Storage__InputContainer", "acquisitions");
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Production" });
            builder.Services.AddLabelFreeOptions(builder.Configuration);
            using var app = builder.Build();

            var options = app.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;

            Assert.Equal(4, options.Broker.Concurrency);
            Assert.Equal("acquisitions", options.Storage.InputContainer);
            Assert.Equal(3, options.Prediction.Threads);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LABELFREE__Broker__Concurrency", null);
            Environment.SetEnvironmentVariable("LABELFREE__Storage__InputContainer", null);
            Directory.Delete(contentRoot, recursive: true);
        }
    }
}
