using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Tests.Storage;

public class BlobLocationPolicyTests
{
    private static readonly BlobLocationPolicy Policy = new(
    [
        new StorageArea("inputs", ""),
        new StorageArea("labelfree", PredictionLayout.PredictionsPrefix),
        new StorageArea("labelfree", PredictionLayout.ModelsPrefix),
    ]);

    [Theory]
    [InlineData("shared", "plate-3/well-B4.ome.tiff", null)]
    [InlineData("shared", "predictions/b1/s1/attempt-1/prediction.ome.tiff", "holds the worker's own files")]
    [InlineData("shared", "predictions/b1/s1/manifest.json", "holds the worker's own files")]
    [InlineData("shared", "models/dna/v1/weights.pt", "holds the worker's own files")]
    [InlineData("elsewhere", "models/dna/v1/weights.pt", "stack inputs must lie in shared/")]
    public void A_stack_input_never_comes_from_the_workers_own_outputs_or_models_even_in_a_shared_container(string container, string name, string? refusal)
    {
        // One container for everything, as small deployments configure it; the model store is a second container.
        var policy = new BlobLocationPolicy(new StorageArea("shared", ""),
            [new StorageArea("shared", PredictionLayout.PredictionsPrefix), new StorageArea("shared", PredictionLayout.ModelsPrefix), new StorageArea("elsewhere", PredictionLayout.ModelsPrefix)]);
        var location = new BlobLocation { Container = container, Name = name };

        if (refusal is null)
        {
            policy.CheckInput(location);
        }
        else
        {
            Assert.Contains(refusal, Assert.Throws<LocationNotAllowedException>(() => policy.CheckInput(location)).Message, StringComparison.Ordinal);
            policy.Check(location);
        }
    }

    [Theory]
    [InlineData("inputs", "a.tif")]
    [InlineData("inputs", "2024/plate 1/well-B4.ome.tiff")]
    [InlineData("inputs", "..hidden/x.tif")]
    [InlineData("inputs", "a..b/c.tif")]
    [InlineData("labelfree", "predictions/b1/s1/prediction.ome.tiff")]
    [InlineData("labelfree", "models/dna/v3/model.json")]
    public void Well_formed_names_inside_an_allowed_area_pass(string container, string name)
    {
        var location = new BlobLocation { Container = container, Name = name };

        Policy.Check(location);

        Assert.True(Policy.IsAllowed(location, out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("labelfree", "inputs/a.tif", "outside the allowed prefixes of container 'labelfree' (predictions/, models/)")]
    [InlineData("Inputs", "a.tif", "not one of the configured containers (inputs, labelfree)")]
    [InlineData("inputs", "a/../../b", "'..' segment")]
    [InlineData("inputs", "/a", "absolute")]
    public void A_refused_location_names_itself_and_the_reason(string container, string name, string reason)
    {
        var location = new BlobLocation { Container = container, Name = name };

        var error = Assert.Throws<LocationNotAllowedException>(() => Policy.Check(location));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains($"'{container}/{name}'", error.Message, StringComparison.Ordinal);
        Assert.False(Policy.IsAllowed(location, out var why));
        Assert.Equal(error.Reason, why);
    }

    [Fact]
    public void Control_characters_never_reach_the_exception_message()
    {
        var error = Assert.Throws<LocationNotAllowedException>(() =>
            Policy.Check(new BlobLocation { Container = "inputs", Name = "a\r\nFAKE LOG LINE" }));

        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
    }

    [Theory]
    [InlineData("labelfree", "predictions/")]
    [InlineData("labelfree", "predictions/b1/")]
    [InlineData("labelfree", "predictions/b1")]
    [InlineData("inputs", "")]
    public void Prefixes_inside_an_area_may_be_listed(string container, string prefix)
    {
        Policy.CheckPrefix(container, prefix);
    }

    [Theory]
    [InlineData("labelfree", "")]
    [InlineData("labelfree", "predictions//")]
    [InlineData("labelfree", "predictions/../models/")]
    public void Prefixes_that_reach_outside_an_area_may_not_be_listed(string container, string prefix)
    {
        Assert.Throws<LocationNotAllowedException>(() => Policy.CheckPrefix(container, prefix));
    }
}
