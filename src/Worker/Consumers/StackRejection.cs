using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Registration;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// Tells bad input from everything else: the typed exceptions of storage, the image reader and the
/// job's own checks become a reason code; anything not listed here is transient or a defect.
/// </summary>
public static class StackRejection
{
    /// <summary>True when <paramref name="fault"/> means the stack's message or input is bad.</summary>
    public static bool TryClassify(Exception fault, out RejectionReason reason)
    {
        ArgumentNullException.ThrowIfNull(fault);
        RejectionReason? found = fault switch
        {
            StackRejectedException rejected => rejected.Reason,
            InvalidIdentifierException => RejectionReason.InvalidMessage,
            LocationNotAllowedException => RejectionReason.LocationNotAllowed,
            BlobNotFoundException => RejectionReason.MissingInput,
            ImageFileException image => ForImageProblem(image.Problem),
            ConstantImageException => RejectionReason.InsufficientContent,

            // The EM image does not fit its reference at the pixel sizes given: the recorded or sent pixel sizes
            // contradict the images.
            RegistrationInputException => RejectionReason.MetadataMismatch,
            _ => null,
        };
        reason = found ?? default;
        return found.HasValue;
    }

    /// <summary>The reason code for an image reader's problem.</summary>
    public static RejectionReason ForImageProblem(ImageProblem problem) => problem switch
    {
        ImageProblem.NotATiff => RejectionReason.NotATiff,
        ImageProblem.Truncated => RejectionReason.Truncated,
        ImageProblem.Corrupt => RejectionReason.CorruptImage,
        ImageProblem.UnsupportedFormat => RejectionReason.UnsupportedFormat,
        ImageProblem.EmptyDimension => RejectionReason.EmptyDimension,
        ImageProblem.TooLarge => RejectionReason.TooLarge,
        ImageProblem.MetadataMismatch => RejectionReason.MetadataMismatch,
        ImageProblem.NonFiniteValues => RejectionReason.NonFiniteValues,
        ImageProblem.ChannelOutOfRange => RejectionReason.ChannelOutOfRange,
        _ => RejectionReason.CorruptImage,
    };
}
