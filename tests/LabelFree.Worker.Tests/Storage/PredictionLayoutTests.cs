using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Tests.Storage;

public class PredictionLayoutTests
{
    private static readonly PredictionLayout Layout = new("labelfree", "models-store");

    [Fact]
    public void A_stacks_records_have_fixed_names_and_each_attempt_a_folder_of_its_own()
    {
        var first = Layout.NewAttemptPrefix("plate-7", "well-B4_t3");
        var second = Layout.NewAttemptPrefix("plate-7", "well-B4_t3");

        Assert.StartsWith("predictions/plate-7/well-B4_t3/attempt-", first, StringComparison.Ordinal);
        Assert.EndsWith("/", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal("predictions/plate-7/well-B4_t3/announced.json", Layout.Announcement("plate-7", "well-B4_t3").Name);
        Assert.Equal("predictions/plate-7/well-B4_t3/manifest.json", Layout.Manifest("plate-7", "well-B4_t3").Name);
        Assert.Equal("predictions/plate-7/well-B4_t3/rejection.json", Layout.Rejection("plate-7", "well-B4_t3").Name);
        Assert.Equal("predictions/plate-7/", Layout.BatchPrefix("plate-7"));
        Assert.Equal("predictions/plate-7/well-B4_t3/", Layout.StackPrefix("plate-7", "well-B4_t3"));
    }

    [Fact]
    public void Model_bundles_live_under_models_structure_version()
    {
        Assert.Equal(
            new BlobLocation { Container = "models-store", Name = "models/dna/2024.05.01/weights.pt" },
            Layout.ModelFile("dna", "2024.05.01", "weights.pt"));
        Assert.Equal("models/dna/v3/", Layout.ModelPrefix("dna", "v3"));
    }

    [Fact]
    public void Every_name_the_layout_makes_passes_a_policy_built_from_its_areas()
    {
        var policy = new BlobLocationPolicy(Layout.Areas);

        policy.Check(new BlobLocation { Container = Layout.OutputContainer, Name = Layout.NewAttemptPrefix("b", "s") + PredictionLayout.PredictionFileName });
        policy.Check(Layout.Announcement("b", "s"));
        policy.Check(Layout.Manifest("b", "s"));
        policy.Check(Layout.Rejection("b", "s"));
        policy.Check(Layout.ModelFile("dna", "v1", "model.json"));
        policy.CheckPrefix(Layout.OutputContainer, Layout.BatchPrefix("b"));
    }

    [Theory]
    [InlineData("..", "it must start with a letter or digit")]
    [InlineData(".hidden", "it must start with a letter or digit")]
    [InlineData("a/b", "only letters, digits")]
    [InlineData("a b", "only letters, digits")]
    [InlineData("stack\u00e9", "only letters, digits")]
    [InlineData("", "it is empty")]
    [InlineData(null, "it is empty")]
    public void An_identifier_that_cannot_name_a_folder_is_refused_with_its_kind(string? stackId, string reason)
    {
        var error = Assert.Throws<InvalidIdentifierException>(() => Layout.Manifest("plate-7", stackId!));

        Assert.Equal("stack id", error.Kind);
        Assert.Equal(stackId, error.Value);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identifier_longer_than_128_characters_is_refused()
    {
        Assert.True(PredictionLayout.IsValidIdentifier(new string('a', 128)));
        Assert.Throws<InvalidIdentifierException>(() => Layout.BatchPrefix(new string('a', 129)));
    }
}
