using System.Numerics;
using System.Runtime.InteropServices;
using LabelFree.Pipeline.Imaging;
using TorchSharp;

namespace LabelFree.Simulation;

/// <summary>
/// The bright-field forward model: a z-stack of intensities from a 3D refractive-index map, in the weak-object
/// (first Born) approximation of partially coherent transmitted light. Each slab of thickness dz at height z
/// adds a phase φ = k0·Δn·dz and an absorption a = μ·dz; the image focused at z_f is
///   I(z_f) = 1 + Σ_z F⁻¹[ −2 sin(χ)·Φ_z(q) − 2 cos(χ)·A_z(q) ]·E·P,   χ = π·(λ/n)·(z − z_f)·|q|²,
/// where P is the objective pupil (|q| ≤ NA/λ) and E = exp(−2π²σ²|q|²) the envelope of the condenser's
/// partial coherence, a Gaussian blur that widens with defocus (σ² = σ0² + (½·|z − z_f|·tan α_c)²).
/// For small χ the phase term is the transport-of-intensity result I ≈ 1 − (z_f − z)/k·∇²φ: a feature's
/// contrast is zero in focus and flips sign through focus, so the stack is not a blurred copy of any label.
/// </summary>
public static class BrightFieldImaging
{
    /// <summary>Relative intensity (1 = empty field) at every plane, for an index-excess volume on a lateral grid.</summary>
    public static Volume RelativeIntensity(Volume indexExcess, VoxelSize voxelSize, BrightFieldOptics optics, double mediumIndex)
    {
        ArgumentNullException.ThrowIfNull(indexExcess);
        ArgumentNullException.ThrowIfNull(optics);
        var (depth, height, width) = (indexExcess.Depth, indexExcess.Height, indexExcess.Width);
        var planeSize = height * width;
        var waveNumber = 2 * Math.PI / optics.WavelengthMicrometres;

        // Phase and absorption of each slab share one complex transform (phase real, absorption imaginary)
        // and are separated afterwards using the Hermitian symmetry of real signals.
        var phase = new Complex[depth][];
        var absorption = new Complex[depth][];
        Parallel.For(0, depth, z =>
        {
            var slab = new Complex[planeSize];
            var excess = indexExcess.Plane(z);
            for (var i = 0; i < planeSize; i++)
            {
                slab[i] = new Complex(
                    waveNumber * excess[i] * voxelSize.Z,
                    optics.DryMassAbsorption * Math.Max(0, excess[i]) * voxelSize.Z);
            }

            Transform2D(slab, height, width, inverse: false);
            (phase[z], absorption[z]) = SplitRealPair(slab, height, width);
        });

        var transfer = TransferFunctions(depth, height, width, voxelSize, optics, mediumIndex);
        var spectra = Enumerable.Range(0, depth).Select(_ => new Complex[planeSize]).ToArray();

        // Every focal plane sums every slab: depth² passes over the spectra. Working through the frequencies
        // in blocks keeps one block of all slabs and all transfer functions in cache for all those passes.
        const int block = 512;
        Parallel.For(0, (planeSize + block - 1) / block, blockIndex =>
        {
            var start = blockIndex * block;
            var end = Math.Min(planeSize, start + block);
            for (var focus = 0; focus < depth; focus++)
            {
                var sum = spectra[focus];
                for (var z = 0; z < depth; z++)
                {
                    var (phaseTransfer, absorptionTransfer) = transfer[z - focus + depth - 1];
                    var (p, a) = (phase[z], absorption[z]);
                    for (var i = start; i < end; i++)
                    {
                        sum[i] += phaseTransfer[i] * p[i] - absorptionTransfer[i] * a[i];
                    }
                }
            }
        });

        // Two real planes per inverse transform: one as the real part, the next as the imaginary part.
        var intensity = new Volume(indexExcess.Shape);
        Parallel.For(0, (depth + 1) / 2, pair =>
        {
            var (first, second) = (2 * pair, 2 * pair + 1);
            var packed = new Complex[planeSize];
            for (var i = 0; i < planeSize; i++)
            {
                packed[i] = spectra[first][i] + (second < depth ? Complex.ImaginaryOne * spectra[second][i] : Complex.Zero);
            }

            Transform2D(packed, height, width, inverse: true);
            var firstPlane = intensity.Plane(first);
            for (var i = 0; i < planeSize; i++)
            {
                firstPlane[i] = (float)(1 + packed[i].Real);
            }

            if (second < depth)
            {
                var secondPlane = intensity.Plane(second);
                for (var i = 0; i < planeSize; i++)
                {
                    secondPlane[i] = (float)(1 + packed[i].Imaginary);
                }
            }
        });

        return intensity;
    }

    /// <summary>Phase and absorption transfer for every defocus z - z_f from -(depth-1) to depth-1 planes.</summary>
    private static (float[] Phase, float[] Absorption)[] TransferFunctions(
        int depth, int height, int width, VoxelSize voxelSize, BrightFieldOptics optics, double mediumIndex)
    {
        var wavelengthInMedium = optics.WavelengthMicrometres / mediumIndex;
        var condenserSine = Math.Min(optics.CondenserNumericalAperture / mediumIndex, 0.99);
        var condenserTangent = condenserSine / Math.Sqrt(1 - condenserSine * condenserSine);
        var focusSigma = 0.21 * optics.WavelengthMicrometres / optics.ObjectiveNumericalAperture;
        var cutoffSquared = Square(optics.ObjectiveNumericalAperture / optics.WavelengthMicrometres);
        var frequencySquared = new double[height * width];
        for (var j = 0; j < height; j++)
        {
            var fy = SignedIndex(j, height) / (height * voxelSize.Y);
            for (var i = 0; i < width; i++)
            {
                var fx = SignedIndex(i, width) / (width * voxelSize.X);
                frequencySquared[j * width + i] = fx * fx + fy * fy;
            }
        }

        // Phase transfer is odd in defocus and absorption transfer even: compute d >= 0, mirror the rest.
        var transfer = new (float[] Phase, float[] Absorption)[2 * depth - 1];
        Parallel.For(0, depth, planes =>
        {
            var defocus = planes * voxelSize.Z;
            var sigmaSquared = Square(focusSigma) + Square(0.5 * defocus * condenserTangent);
            var phase = new float[frequencySquared.Length];
            var mirroredPhase = new float[frequencySquared.Length];
            var absorption = new float[frequencySquared.Length];
            for (var i = 0; i < frequencySquared.Length; i++)
            {
                var q2 = frequencySquared[i];
                if (q2 > cutoffSquared)
                {
                    continue;
                }

                var envelope = Math.Exp(-2 * Math.PI * Math.PI * sigmaSquared * q2);
                var (sine, cosine) = Math.SinCos(Math.PI * wavelengthInMedium * defocus * q2);
                phase[i] = (float)(-2 * sine * envelope);
                mirroredPhase[i] = -phase[i];
                absorption[i] = (float)(2 * cosine * envelope);
            }

            transfer[depth - 1 + planes] = (phase, absorption);
            transfer[depth - 1 - planes] = (mirroredPhase, absorption);
        });
        return transfer;
    }

    /// <summary>Spectra of the real and imaginary parts of a complex plane from its spectrum C: (C(q) ± conj C(-q)) / 2.</summary>
    private static (Complex[] Real, Complex[] Imaginary) SplitRealPair(Complex[] spectrum, int height, int width)
    {
        var real = new Complex[spectrum.Length];
        var imaginary = new Complex[spectrum.Length];
        for (var j = 0; j < height; j++)
        {
            var mirrorJ = (height - j) % height;
            for (var i = 0; i < width; i++)
            {
                var mirror = Complex.Conjugate(spectrum[mirrorJ * width + (width - i) % width]);
                var value = spectrum[j * width + i];
                real[j * width + i] = 0.5 * (value + mirror);
                imaginary[j * width + i] = (value - mirror) / (2 * Complex.ImaginaryOne);
            }
        }

        return (real, imaginary);
    }

    /// <summary>
    /// In-place 2D discrete Fourier transform of a row-major height x width plane, in double precision on torch.fft:
    /// forward with exp(-2πi jk/n), the inverse divided by n, so the inverse of the forward is the plane again.
    /// </summary>
    internal static void Transform2D(Complex[] plane, int height, int width, bool inverse)
    {
        using var scope = torch.NewDisposeScope();
        // A Complex is two doubles (real, imaginary): the layout torch.view_as_complex reads from a trailing axis of 2.
        var values = MemoryMarshal.Cast<Complex, double>(plane.AsSpan());
        var signal = torch.view_as_complex(torch.tensor(values.ToArray(), [height, width, 2]));
        var spectrum = inverse ? torch.fft.ifft2(signal) : torch.fft.fft2(signal);
        torch.view_as_real(spectrum).contiguous().data<double>().ToArray().CopyTo(values);
    }

    private static double SignedIndex(int index, int length) => index <= length / 2 ? index : index - length;

    private static double Square(double value) => value * value;
}
