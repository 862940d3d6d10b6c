using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Draws random training patches as pytorch_fnet's BufferedPatchDataset does: a buffer of whole
/// pre-processed images held in memory; each patch picks a buffer image uniformly, then a window
/// uniformly in space (every start 0..D-P inclusive), and cuts the same window from signal and
/// target. Every <c>switchEvery</c> patches the oldest image leaves the buffer and the next one loads
/// (FIFO, wrapping). With an <see cref="Augmentation"/>, each patch is then flipped, transposed or
/// rescaled at random. The whole position is a <see cref="SamplerPosition"/> so training resumes exactly.
/// </summary>
public sealed class BufferedPatchSampler
{
    private readonly int _imageCount;
    private readonly Func<int, TrainingVolumes> _load;
    private readonly int _switchEvery;
    private readonly SeededRandom _random;
    private readonly Augmentation _augmentation;
    private readonly float[] _scratch;
    private readonly List<(int Index, TrainingVolumes Volumes)> _buffer = [];
    private long _patchesDrawn;
    private int _nextImage;

    /// <param name="imageCount">How many training images exist.</param>
    /// <param name="load">Loads and pre-processes image <c>i</c> onto the model grid.</param>
    /// <param name="patch">Patch size (ZYX); a 2D model uses Z = 1.</param>
    /// <param name="bufferSize">Images held at once (capped at <paramref name="imageCount"/>).</param>
    /// <param name="switchEvery">Patches between buffer switches; 0 or less never switches (the paper's setting in effect).</param>
    /// <param name="seed">Seed of the patch positions (and of the augmentation draws).</param>
    /// <param name="augmentation">Random patch transforms; none (the paper's) when null.</param>
    public BufferedPatchSampler(int imageCount, Func<int, TrainingVolumes> load, VolumeShape patch, int bufferSize, int switchEvery, ulong seed,
        Augmentation? augmentation = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        ArgumentNullException.ThrowIfNull(load);
        _imageCount = imageCount;
        _load = load;
        Patch = patch;
        BufferSize = Math.Min(bufferSize, imageCount);
        _switchEvery = switchEvery;
        _random = new SeededRandom(seed);
        _augmentation = augmentation ?? Augmentation.None;
        _augmentation.Validate();
        _scratch = new float[(int)patch.VoxelCount];
        for (var i = 0; i < BufferSize; i++)
        {
            _buffer.Add((i, LoadChecked(i)));
        }

        _nextImage = BufferSize % imageCount;
    }

    public VolumeShape Patch { get; }

    public int BufferSize { get; }

    public SamplerPosition Position =>
        new(_random.State, _patchesDrawn, _buffer.Select(b => b.Index).ToArray(), _nextImage);

    /// <summary>Continues from a saved position: reloads the buffered images and restores the generator.</summary>
    public void Restore(SamplerPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Buffer.Count == 0 || position.Buffer.Any(i => i < 0 || i >= _imageCount))
        {
            throw new ArgumentException($"The saved sampler buffer [{string.Join(',', position.Buffer)}] does not fit {_imageCount} images.", nameof(position));
        }

        var current = _buffer.ToDictionary(b => b.Index, b => b.Volumes);
        _buffer.Clear();
        foreach (var index in position.Buffer)
        {
            _buffer.Add((index, current.TryGetValue(index, out var loaded) ? loaded : LoadChecked(index)));
        }

        _random.State = position.RandomState;
        _patchesDrawn = position.PatchesDrawn;
        _nextImage = position.NextImage;
    }

    public PatchBatch NextBatch(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var patchVoxels = (int)Patch.VoxelCount;
        var signal = new float[count * patchVoxels];
        var target = new float[count * patchVoxels];
        for (var b = 0; b < count; b++)
        {
            NextPatch(signal.AsSpan(b * patchVoxels, patchVoxels), target.AsSpan(b * patchVoxels, patchVoxels));
        }

        return new PatchBatch(signal, target, count, Patch);
    }

    /// <summary>
    /// Unaugmented patches of the images buffered now, drawn by a generator of their own: the same
    /// <paramref name="seed"/> gives the same patches, and the sampler's position (so the training sequence) is
    /// untouched.
    /// </summary>
    public PatchBatch BufferedBatch(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new SeededRandom(seed);
        var patchVoxels = (int)Patch.VoxelCount;
        var signal = new float[count * patchVoxels];
        var target = new float[count * patchVoxels];
        for (var b = 0; b < count; b++)
        {
            CutRandomWindow(random, signal.AsSpan(b * patchVoxels, patchVoxels), target.AsSpan(b * patchVoxels, patchVoxels));
        }

        return new PatchBatch(signal, target, count, Patch);
    }

    private void NextPatch(Span<float> signal, Span<float> target)
    {
        _patchesDrawn++;
        if (_switchEvery > 0 && _patchesDrawn % _switchEvery == 0 && _imageCount > BufferSize)
        {
            _buffer.RemoveAt(0);
            _buffer.Add((_nextImage, LoadChecked(_nextImage)));
            _nextImage = (_nextImage + 1) % _imageCount;
        }

        CutRandomWindow(_random, signal, target);
        // Drawn after the position, and only when augmenting, so an unaugmented run draws the paper's sequence.
        var transform = PatchTransform.Draw(_augmentation, Patch, _random);
        transform.Apply(signal, Patch, _scratch, intensity: true);
        transform.Apply(target, Patch, _scratch, intensity: false);
    }

    // A buffered image uniformly, then a window uniformly in it.
    private void CutRandomWindow(SeededRandom random, Span<float> signal, Span<float> target)
    {
        var volumes = _buffer[random.NextInt(_buffer.Count)].Volumes;
        var shape = volumes.Shape;
        var z0 = random.NextInt(shape.Z - Patch.Z + 1);
        var y0 = random.NextInt(shape.Y - Patch.Y + 1);
        var x0 = random.NextInt(shape.X - Patch.X + 1);
        Cut(volumes.Signal, z0, y0, x0, signal);
        Cut(volumes.Target, z0, y0, x0, target);
    }

    private void Cut(Volume source, int z0, int y0, int x0, Span<float> destination)
    {
        var row = 0;
        for (var z = 0; z < Patch.Z; z++)
        {
            for (var y = 0; y < Patch.Y; y++)
            {
                var start = ((z0 + z) * source.Height + y0 + y) * source.Width + x0;
                source.Voxels.AsSpan(start, Patch.X).CopyTo(destination.Slice(row * Patch.X, Patch.X));
                row++;
            }
        }
    }

    private TrainingVolumes LoadChecked(int index)
    {
        var volumes = _load(index);
        if (volumes.Signal.Shape != volumes.Target.Shape)
        {
            throw new TrainingDataException(volumes.Name,
                $"signal ({volumes.Signal.Shape}) and target ({volumes.Target.Shape}) differ in shape on the model grid; the pair must be registered voxel for voxel");
        }

        var shape = volumes.Shape;
        if (shape.Z < Patch.Z || shape.Y < Patch.Y || shape.X < Patch.X)
        {
            throw new TrainingDataException(volumes.Name,
                $"the image is {shape} (ZYX) on the model grid, smaller than the training patch {Patch}; use a smaller --patch or larger images");
        }

        return volumes;
    }
}
