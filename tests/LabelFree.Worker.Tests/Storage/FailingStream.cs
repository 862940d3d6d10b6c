namespace LabelFree.Worker.Tests.Storage;

/// <summary>A seekable source that breaks after <c>failAfter</c> bytes, like a local file on a failing disk.</summary>
internal sealed class FailingStream(byte[] content, int failAfter) : Stream
{
    private readonly MemoryStream _content = new(content, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _content.Length;

    public override long Position
    {
        get => _content.Position;
        set => _content.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Position + count > failAfter)
        {
            throw new InvalidDataException("the source broke mid-upload");
        }

        return _content.Read(buffer, offset, count);
    }

    public override long Seek(long offset, SeekOrigin origin) => _content.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content.Dispose();
        }

        base.Dispose(disposing);
    }
}
