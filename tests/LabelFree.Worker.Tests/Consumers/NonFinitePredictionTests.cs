using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Tests.EndToEnd;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>
/// A model whose weights are finite (the bundle loads) but whose forward pass overflows to infinity and NaN:
/// what used to be a NaN image published as a result, or an ArgumentException deep in scoring, now stops the
/// worker's start at the model's warm-up, naming the model, so no stack is ever computed with it.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public class NonFinitePredictionTests
{
    [Fact]
    public async Task A_model_whose_prediction_overflows_is_refused_at_start_naming_it()
    {
        var root = TestEnvironment.NewTempFolder("labelfree-nonfinite");
        try
        {
            var models = Path.Combine(root, "labelfree", "models", "dna", "v1");
            Directory.CreateDirectory(Path.GetDirectoryName(models)!);
            Directory.Move(TinyModels.Save(root, "dna", seed: 7, alter: TinyModels.Overflowing), models);
            await using var worker = WorkerHost.Build([], new Dictionary<string, string?>
            {
                ["LabelFree:Storage:LocalRoot"] = root,
                ["LabelFree:Models:0:Structure"] = "dna",
                ["LabelFree:Models:0:Modality"] = "BrightField",
                ["LabelFree:Models:0:Location:Prefix"] = "models/dna/v1/",
                ["LabelFree:Http:Urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
            });

            var refused = await Assert.ThrowsAsync<ModelLoadException>(() => worker.StartAsync());

            Assert.Contains("Model 'dna' (BrightField) from labelfree/models/dna/v1/ failed its warm-up", refused.Message, StringComparison.Ordinal);
            Assert.Contains("NaN or infinite voxels", refused.Message, StringComparison.Ordinal);
            Assert.IsType<NonFinitePredictionException>(refused.InnerException);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
