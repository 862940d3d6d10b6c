using LabelFree.Pipeline.Imaging;
using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// A two-channel image for checking a registration by eye (e.g. in Fiji, as a composite): channel "fixed" is the fixed
/// image around the moving image's footprint, channel "moving" is the moving image drawn onto the same pixels by the
/// transform (0 outside its footprint). Pixel size: the fixed image's.
/// </summary>
public static class RegistrationOverlay
{
    /// <param name="margin">Fixed pixels of context kept around the footprint.</param>
    public static Hyperstack Create(CalibratedImage moving, CalibratedImage fixedImage, RegistrationTransform transform, int margin = 32)
    {
        ArgumentNullException.ThrowIfNull(moving);
        ArgumentNullException.ThrowIfNull(fixedImage);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        OpenCvRuntime.EnsureLoaded();
        using var movingMat = MatConversion.ToMat(moving.Image);
        // Resample to the fixed pixel size first, so a much finer moving image is averaged rather than aliased.
        using var grid = CommonPixelGrid.Resample(movingMat, moving.PixelSizeUm / fixedImage.PixelSizeUm);
        var commonToFixed = transform.MovingToFixed.After(grid.MovingToCommon.Inverse());
        using var fixedMat = MatConversion.ToMat(fixedImage.Image);
        using var footprint = WarpedFootprint.Draw(fixedMat, grid.Image, commonToFixed, InterpolationFlags.Cubic, margin)
            ?? throw new ArgumentException("The transform puts the moving image entirely outside the fixed image.", nameof(transform));
        using var fixedRegion = new Mat(fixedMat, footprint.Region);
        using var movingOnFixed = new Mat(footprint.Moving.Size(), MatType.CV_32FC1, Scalar.All(0));
        footprint.Moving.CopyTo(movingOnFixed, footprint.Mask);
        var pixel = fixedImage.PixelSizeUm;
        return new Hyperstack(1, 2, [MatConversion.ToVolume(fixedRegion), MatConversion.ToVolume(movingOnFixed)],
            new VoxelSize(pixel, pixel, pixel), ["fixed", "moving"]);
    }
}
