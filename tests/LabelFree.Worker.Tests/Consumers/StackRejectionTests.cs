using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Registration;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>Which faults are bad input (rejected, acknowledged), which are transient (retried, requeued), which are defects.</summary>
public class StackRejectionTests
{
    private static readonly BlobLocation Somewhere = new() { Container = "inputs", Name = "a.tif" };

    [Theory]
    [InlineData(ImageProblem.NotATiff, RejectionReason.NotATiff)]
    [InlineData(ImageProblem.Truncated, RejectionReason.Truncated)]
    [InlineData(ImageProblem.Corrupt, RejectionReason.CorruptImage)]
    [InlineData(ImageProblem.UnsupportedFormat, RejectionReason.UnsupportedFormat)]
    [InlineData(ImageProblem.EmptyDimension, RejectionReason.EmptyDimension)]
    [InlineData(ImageProblem.TooLarge, RejectionReason.TooLarge)]
    [InlineData(ImageProblem.MetadataMismatch, RejectionReason.MetadataMismatch)]
    [InlineData(ImageProblem.NonFiniteValues, RejectionReason.NonFiniteValues)]
    [InlineData(ImageProblem.ChannelOutOfRange, RejectionReason.ChannelOutOfRange)]
    public void Each_image_problem_is_rejected_with_its_documented_reason(ImageProblem problem, RejectionReason expected)
    {
        Assert.True(StackRejection.TryClassify(new ImageFileException("inputs/a.tif", problem, "bad"), out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Every_image_problem_has_a_reason()
    {
        Assert.All(Enum.GetValues<ImageProblem>(), problem =>
            Assert.True(StackRejection.TryClassify(new ImageFileException("x", problem, "bad"), out _)));
    }

    [Fact]
    public void Storage_and_message_problems_are_rejections()
    {
        Assert.True(StackRejection.TryClassify(new BlobNotFoundException(Somewhere), out var missing));
        Assert.True(StackRejection.TryClassify(new LocationNotAllowedException(Somewhere, "elsewhere"), out var location));
        Assert.True(StackRejection.TryClassify(new InvalidIdentifierException("stack id", "..", "no"), out var identifier));
        Assert.True(StackRejection.TryClassify(new ConstantImageException(3f), out var constant));
        Assert.True(StackRejection.TryClassify(new RegistrationInputException("the moving image does not fit"), out var registration));

        Assert.Equal(RejectionReason.MissingInput, missing);
        Assert.Equal(RejectionReason.LocationNotAllowed, location);
        Assert.Equal(RejectionReason.InvalidMessage, identifier);
        Assert.Equal(RejectionReason.InsufficientContent, constant);
        Assert.Equal(RejectionReason.MetadataMismatch, registration);
    }

    [Fact]
    public void Storage_outages_and_defects_are_not_rejections()
    {
        var outage = new StorageUnavailableException("download", "inputs/a.tif", new TimeoutException());

        Assert.False(StackRejection.TryClassify(outage, out _));
        Assert.False(StackRejection.TryClassify(new InvalidOperationException("bug"), out _));
        Assert.True(TransientStackFault.IsTransient(outage));
        Assert.True(TransientStackFault.IsTransient(new AggregateException(outage)));
        Assert.True(TransientStackFault.IsTransient(new InvalidOperationException("publish failed", new TimeoutException())));
        Assert.False(TransientStackFault.IsTransient(new InvalidOperationException("bug")));
        Assert.False(TransientStackFault.IsTransient(new StackRejectedException(RejectionReason.NotATiff, "no", new TimeoutException())));
    }
}
