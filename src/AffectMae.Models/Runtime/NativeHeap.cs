using System.Runtime.InteropServices;

namespace AffectMae.Models.Runtime;

/// <summary>
/// Gives the pages of freed tensors back to the operating system, where the C library keeps them (glibc on Linux).
/// </summary>
/// <remarks>
/// libtorch allocates CPU tensors with the C library's malloc. glibc serves blocks above its mmap threshold with their
/// own mappings and unmaps them on free, but raises that threshold (up to 32 MiB) each time such a block is freed, so
/// most activations of a training step — [32, 300, 512] float32 is 19.7 MB — soon come from the heap instead, where
/// freed blocks stay resident until the heap's top is free. Over a few steps the holes add up: measured on the
/// temporal step at [32, 300, 768], the resident peak was 4.54 GB with the default allocator and 3.15 GB with a fixed
/// 128 KiB threshold (MALLOC_MMAP_THRESHOLD_=131072), for the same live tensors; PyTorch 1.13 showed the same 4.1 / 3.1 GB
/// split. <c>malloc_trim(0)</c> after a step returns the free pages of every arena (glibc 2.8 and later release free
/// pages inside the heap too, not only at its top), so each step starts from the memory that is really in use.
/// <see cref="Training.Trainer.Step"/> calls it after every step. Elsewhere (Windows, macOS, musl) it does nothing.
/// </remarks>
public static class NativeHeap
{
    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns free heap pages to the system (glibc's <c>malloc_trim(0)</c>).</summary>
    /// <returns>Whether memory was returned; false where the C library has no such call.</returns>
    public static bool ReturnFreedMemory()
    {
        if (unavailable) return false;
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (EntryPointNotFoundException)
        {
            unavailable = true;   // not glibc (e.g. musl): nothing to trim
            return false;
        }
        catch (DllNotFoundException)
        {
            unavailable = true;
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
