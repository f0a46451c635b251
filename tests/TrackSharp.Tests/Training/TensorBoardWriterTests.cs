using System.Text;
using TrackSharp.Training.Monitoring;
using Xunit;

namespace TrackSharp.Tests.Training;

public class TensorBoardWriterTests
{
    [Theory]
    // RFC 3720 appendix B.4 and the common "123456789" check value of CRC-32C.
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    public void Crc32CMatchesPublishedCheckValues(string text, uint expected) =>
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Crc32CMatchesRfc3720Vectors()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void MaskRotatesRightBy15AndAddsTheDelta()
    {
        uint crc = 0xE3069283u;
        uint rotated = (crc >> 15) | (crc << 17);
        Assert.Equal(0x2507C60Du, rotated);
        Assert.Equal(0xC78AB0E5u, Crc32C.Mask(crc)); // 0x2507C60D + 0xA282EAD8 (mod 2^32)
    }

    [Fact]
    public void ScalarEventHasTheHandEncodedBytes()
    {
        // Event{wall_time=1.5 (field 1, fixed64), step=5 (field 2, varint),
        //       summary (field 5) = Summary{value (field 1) = Value{tag="a/b" (field 1), simple_value=0.5f (field 2, fixed32)}}}
        byte[] expected =
        [
            0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, // wall_time 1.5 = 0x3FF8000000000000 LE
            0x10, 0x05,                         // step 5
            0x2A, 0x0C,                         // summary, 12 bytes
            0x0A, 0x0A,                         //   value, 10 bytes
            0x0A, 0x03, (byte)'a', (byte)'/', (byte)'b', // tag
            0x15, 0, 0, 0, 0x3F,                //     simple_value 0.5f = 0x3F000000 LE
        ];
        Assert.Equal(expected, TensorBoardEvent.ScalarEvent(1.5, 5, "a/b", 0.5f));
    }

    [Fact]
    public void FileVersionEventAndItsFrameHaveTheHandEncodedBytes()
    {
        byte[] ev = [0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x1A, 13, .. Encoding.ASCII.GetBytes("brain.Event:2")];
        Assert.Equal(ev, TensorBoardEvent.FileVersionEvent(1.5));
        byte[] frame = TfRecord.Frame(ev);
        // length 24 as uint64 LE, then the masked CRC-32C of those 8 bytes and of the data, computed with an
        // independent bitwise implementation (Python) when the test was written.
        Assert.Equal(new byte[] { 24, 0, 0, 0, 0, 0, 0, 0 }, frame[..8]);
        Assert.Equal(0x224B7FA3u, BitConverter.ToUInt32(frame, 8));
        Assert.Equal(ev, frame[12..36]);
        Assert.Equal(0x6C64282Au, BitConverter.ToUInt32(frame, 36));
        Assert.Equal(40, frame.Length);
    }

    [Fact]
    public void ZeroStepIsNotWritten()
    {
        var bytes = TensorBoardEvent.ScalarEvent(1.5, 0, "a/b", 0.5f);
        Assert.Equal(25 - 2, bytes.Length);
        Assert.Equal(0x2A, bytes[9]);
    }

    [Fact]
    public void WriterFileReadsBackWithVersionFirstThenScalars()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ts-tb-" + Guid.NewGuid().ToString("N"));
        try
        {
            var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);
            string path;
            using (var writer = new TensorBoardWriter(dir, () => t0))
            {
                path = writer.FilePath;
                writer.AddScalar("schedule_info/lr", 0.07156572580560104, 5);
                writer.AddScalar("training_losses/cls", 1.163759708404541, 5);
                writer.AddScalar("training_losses/cls", -2.5, 1L << 40);
            } // dispose flushes
            Assert.Equal($"events.out.tfevents.1700000000.{Environment.MachineName}", Path.GetFileName(path));

            var events = TensorBoardEventReader.ReadFile(path);
            Assert.Equal(4, events.Count);
            Assert.Equal("brain.Event:2", events[0].FileVersion);
            Assert.Empty(events[0].Scalars);
            Assert.Equal(1_700_000_000.25, events[0].WallTime);
            Assert.Equal(("schedule_info/lr", 0.07156572580560104f), events[1].Scalars.Single());
            Assert.Equal(5, events[1].Step);
            Assert.Equal(("training_losses/cls", 1.163759708404541f), events[2].Scalars.Single());
            Assert.Equal(1L << 40, events[3].Step);
            Assert.Equal(-2.5f, events[3].Scalars.Single().Value);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TwoWritersInTheSameSecondUseTwoFiles()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ts-tb-" + Guid.NewGuid().ToString("N"));
        try
        {
            var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
            using var a = new TensorBoardWriter(dir, () => t0);
            using var b = new TensorBoardWriter(dir, () => t0);
            Assert.NotEqual(a.FilePath, b.FilePath);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ConcurrentScalarsAreAllWrittenWhole()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ts-tb-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path;
            using (var writer = new TensorBoardWriter(dir))
            {
                path = writer.FilePath;
                Parallel.For(0, 4, t =>
                {
                    for (int i = 0; i < 250; i++) writer.AddScalar($"thread{t}", i, i);
                });
                writer.Flush();
            }
            var events = TensorBoardEventReader.ReadFile(path); // every CRC checked
            Assert.Equal(1 + 1000, events.Count);
            for (int t = 0; t < 4; t++)
                Assert.Equal(Enumerable.Range(0, 250).Select(i => (float)i),
                    events.SelectMany(e => e.Scalars).Where(s => s.Tag == $"thread{t}").Select(s => s.Value));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
