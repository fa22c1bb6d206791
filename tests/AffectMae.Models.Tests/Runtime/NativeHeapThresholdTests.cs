using System.Runtime.InteropServices;
using AffectMae.Models.Runtime;
using AffectMae.Models.Tests.Features;

namespace AffectMae.Models.Tests.Runtime;

[Collection(GlobalRngCollection.Name)]   // runs alone: it sets the process's malloc thresholds and counts its mappings
public class NativeHeapThresholdTests
{
    private const int FourMiB = 4 << 20;

    /// <summary>
    /// glibc serves a block above its mmap threshold with a mapping of its own (mallinfo2's hblks counts them): a 4 MiB
    /// block is mapped under a 1 MiB threshold, and comes from the heap under the 32 MiB one the library sets.
    /// </summary>
    [Fact]
    public void Blocks_below_the_fixed_mmap_threshold_come_from_the_heap_and_above_it_get_their_own_mapping()
    {
        if (!OperatingSystem.IsLinux()) return;   // glibc only; elsewhere UseFixedThresholds does nothing

        NativeHeap.UseFixedThresholds(mmapThresholdBytes: 1 << 20).Applied.Should().BeTrue();
        MappingsWhileHolding(FourMiB).Should().Be(1, "4 MiB is above a 1 MiB threshold");

        var thresholds = NativeHeap.UseFixedThresholds();
        thresholds.Applied.Should().BeTrue();
        thresholds.Description.Should().Be("glibc malloc: mmap threshold 32768 KiB, trim threshold 1048576 KiB, fixed");
        MappingsWhileHolding(FourMiB).Should().Be(0, "4 MiB is below the 32 MiB threshold");

        NativeHeap.ThresholdsFixed.Should().BeTrue();
        var logger = new ListLogger();
        PrecisionResolver.Resolve(InferencePrecision.Float32, TorchSharp.torch.CPU, logger);
        logger.Lines.Should().ContainSingle("with the thresholds fixed there is nothing to advise").Which.Message.Should().StartWith("Inference precision on cpu");
    }

    [Theory]
    [InlineData(0L, "mmapThresholdBytes")]
    [InlineData(NativeHeap.MaxMmapThresholdBytes + 1, "mmapThresholdBytes")]
    public void An_mmap_threshold_outside_what_glibc_takes_is_refused(long bytes, string parameter)
    {
        var set = () => NativeHeap.UseFixedThresholds(mmapThresholdBytes: bytes);

        set.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == parameter).WithMessage("*between 1 and 33554432 bytes*");
    }

    [Fact]
    public void A_trim_threshold_mallopt_cannot_take_is_refused()
    {
        var set = () => NativeHeap.UseFixedThresholds(trimThresholdBytes: 1L << 31);

        set.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "trimThresholdBytes");
    }

    // Marshal.AllocHGlobal is malloc on Linux.
    private static long MappingsWhileHolding(int bytes)
    {
        long before = (long)mallinfo2().hblks;
        nint block = Marshal.AllocHGlobal(bytes);
        try
        {
            return (long)mallinfo2().hblks - before;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }
}
