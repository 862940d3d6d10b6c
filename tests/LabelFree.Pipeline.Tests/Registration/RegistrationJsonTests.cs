using LabelFree.Pipeline.Registration;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Registration;

public class RegistrationJsonTests
{
    [Fact]
    public void A_transform_written_and_read_back_keeps_its_matrix_and_pixel_sizes()
    {
        var folder = TestEnvironment.NewTempFolder();
        var path = Path.Combine(folder, "transform.json");
        var transform = new RegistrationTransform(AffineTransform2D.Similarity(0.1023, -2.75, 812.125, 433.0625), 0.01, 0.1);

        RegistrationJson.WriteTransform(transform, path);
        var read = RegistrationJson.ReadTransform(path);

        Assert.Equal(transform.MovingToFixed, read.MovingToFixed);
        Assert.Equal(0.01, read.MovingPixelSizeUm);
        Assert.Equal(0.1, read.FixedPixelSizeUm);
        Assert.Equal(1.023, read.RelativeScale!.Value, 10);
    }

    [Fact]
    public void A_hand_written_reference_may_give_parameters_instead_of_the_matrix()
    {
        const string json = """{ "scale": 1.05, "rotationDegrees": 3, "translationX": 100, "translationY": 50 }""";

        var transform = RegistrationJson.DeserializeTransform(json, "reference.json");

        Assert.Equal(AffineTransform2D.Similarity(1.05, 3, 100, 50), transform.MovingToFixed);
        Assert.Equal(3, transform.RotationDegrees, 10);
    }

    [Fact]
    public void A_document_without_a_matrix_or_full_parameters_is_rejected_naming_the_file()
    {
        const string json = """{ "scale": 1.05, "translationX": 100 }""";

        var error = Assert.Throws<InvalidDataException>(() => RegistrationJson.DeserializeTransform(json, "reference.json"));

        Assert.Contains("reference.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("rotationDegrees", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_of_the_wrong_shape_is_rejected()
    {
        const string json = """{ "movingToFixed": [[1, 0, 5], [0, 1]] }""";

        var error = Assert.Throws<InvalidDataException>(() => RegistrationJson.DeserializeTransform(json, "bad.json"));

        Assert.Contains("two rows of three numbers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_singular_matrix_is_rejected()
    {
        const string json = """{ "movingToFixed": [[0, 0, 5], [0, 0, 7]] }""";

        Assert.Throws<InvalidDataException>(() => RegistrationJson.DeserializeTransform(json, "flat.json"));
    }

    [Fact]
    public void Text_that_is_not_json_is_rejected_naming_the_file()
    {
        var error = Assert.Throws<InvalidDataException>(() => RegistrationJson.DeserializeTransform("scale = 1", "notes.txt"));

        Assert.StartsWith("notes.txt:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found()
    {
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "absent.json");

        Assert.Throws<FileNotFoundException>(() => RegistrationJson.ReadTransform(path));
    }
}
