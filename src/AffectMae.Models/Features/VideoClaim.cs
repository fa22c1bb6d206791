// Lets several extraction processes share one feature cache (overlapping shards, a retried job beside the one it
// retries) without two of them extracting the same video, and without a killed process blocking a video for ever.
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AffectMae.Core.IO;

namespace AffectMae.Models.Features;

/// <summary>
/// One process's exclusive claim of one video of a feature cache: the file <c>&lt;video&gt;.claim</c>, created with
/// <see cref="FileMode.CreateNew"/> (open with O_CREAT | O_EXCL, which local file systems, NFS v3 and later, and SMB
/// carry out atomically), holding the claimant's process id, machine and start time. The holder refreshes the file's
/// modification time after every batch (a heartbeat) and deletes the file when the video is done or has failed.
/// </summary>
/// <remarks>
/// A claim whose holder died (killed, machine lost) is stale and is taken over:
/// <list type="bullet">
/// <item>On the same machine — same host name, same Linux boot id and same PID namespace, so the holder's process id
/// means the same process here — at once, when no process has that id, the process is a zombie, or the id now belongs
/// to a process started at another time (a reused id).</item>
/// <item>Anywhere else (another machine, another container), when the heartbeat is older than the stale age
/// (<see cref="FeatureExtractionOptions.StaleClaimAge"/>, 10 minutes by default, far above the time an encoder batch takes).</item>
/// <item>A file that cannot be read as a claim (its holder died between creating and writing it) after the stale age too.</item>
/// </list>
/// Taking over moves the stale file aside under a unique name, and goes on only when the file moved is the one judged
/// stale; otherwise it puts that newer claim back. So two processes that find the same stale claim do not both win.
/// </remarks>
internal sealed class VideoClaim : IDisposable
{
    // Claims this process holds, by path, so a claim naming this process is known to be alive only when listed here.
    private static readonly ConcurrentDictionary<string, string> Held = new(StringComparer.Ordinal);
    private static readonly Lazy<string> MachineKey = new(ReadMachineKey);
    private static readonly Lazy<DateTime> ProcessStart = new(() => Process.GetCurrentProcess().StartTime.ToUniversalTime());

    private readonly string path;
    private readonly string id;
    private readonly TimeSpan heartbeatEvery;
    private DateTime lastBeat;

    private VideoClaim(string path, string id, TimeSpan heartbeatEvery)
    {
        this.path = path;
        this.id = id;
        this.heartbeatEvery = heartbeatEvery;
        lastBeat = DateTime.UtcNow;
        Held[path] = id;
    }

    private sealed record Holder(string Id, int Pid, string Host, string Machine, DateTime ProcessStart, DateTime Claimed);

    /// <summary>Claims the video whose claim file is <paramref name="path"/>, taking over a stale claim.</summary>
    /// <param name="path">The claim file.</param>
    /// <param name="staleAfter">How old the heartbeat of a claim from another machine must be to count as stale.</param>
    /// <param name="holder">When another live process holds the claim: who (for messages); else null.</param>
    /// <param name="takenOver">Describes the stale claim taken over, or null.</param>
    /// <returns>The claim, or null when another live process holds it.</returns>
    public static VideoClaim? TryAcquire(string path, TimeSpan staleAfter, out string? holder, out string? takenOver)
    {
        path = Path.GetFullPath(path);
        takenOver = null;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            string id = Guid.NewGuid().ToString("N");
            if (TryCreate(path, id))
            {
                holder = null;
                return new VideoClaim(path, id, staleAfter / 4);
            }
            byte[] content;
            DateTime touched;
            try
            {
                content = File.ReadAllBytes(path);
                touched = File.GetLastWriteTimeUtc(path);
            }
            catch (FileNotFoundException)
            {
                continue;                                           // released meanwhile: try again
            }
            var claim = Parse(content);
            string? stale = Stale(path, claim, touched, staleAfter);
            holder = Describe(claim, touched);
            if (stale is null) return null;
            if (TakeOver(path, content)) takenOver = $"{holder}: {stale}";
        }
        holder = "other processes (the claim changed hands several times while this one tried)";
        return null;
    }

    /// <summary>Refreshes the claim's modification time, at most every quarter of the stale age.</summary>
    public void Heartbeat()
    {
        var now = DateTime.UtcNow;
        if (now - lastBeat < heartbeatEvery) return;
        lastBeat = now;
        try
        {
            File.SetLastWriteTimeUtc(path, now);
        }
        catch (FileNotFoundException)
        {
            // Taken over by a process that judged it stale (a clock far off, or a heartbeat far too late): the video
            // may be extracted twice, each time atomically, to the same result.
        }
    }

    /// <summary>Deletes the claim file if it is still this claim.</summary>
    public void Dispose()
    {
        Held.TryRemove(new KeyValuePair<string, string>(path, id));
        try
        {
            if (Parse(File.ReadAllBytes(path))?.Id == id) File.Delete(path);
        }
        catch (FileNotFoundException)
        {
        }
    }

    private static bool TryCreate(string path, string id)
    {
        var claim = new Holder(id, Environment.ProcessId, Environment.MachineName, MachineKey.Value, ProcessStart.Value, DateTime.UtcNow);
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(claim);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static Holder? Parse(byte[] content)
    {
        try
        {
            return content.Length is > 0 and < 4096 ? JsonSerializer.Deserialize<Holder>(content) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Why the claim is stale, or null while its holder may be alive.
    private static string? Stale(string path, Holder? claim, DateTime touched, TimeSpan staleAfter)
    {
        var age = DateTime.UtcNow - touched;
        if (claim is null || claim.Machine != MachineKey.Value)
            return age > staleAfter ? $"{(claim is null ? "unreadable" : "from another machine")}, its heartbeat {Minutes(age)} old (stale after {Minutes(staleAfter)})" : null;
        if (claim.Pid == Environment.ProcessId)
            return Held.TryGetValue(path, out string? id) && id == claim.Id ? null : "made by this process, which no longer holds it";
        return ProcessState(claim.Pid, claim.ProcessStart);
    }

    // Null while the process that made a claim on this machine runs; else what became of it.
    private static string? ProcessState(int pid, DateTime started)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (OperatingSystem.IsLinux() && IsZombie(pid)) return $"process {pid} has ended (a zombie)";
            if (process.HasExited) return $"process {pid} has ended";
            var actual = process.StartTime.ToUniversalTime();
            return Math.Abs((actual - started).TotalSeconds) < 1 ? null : $"process {pid} has ended and its id now belongs to a process started at {actual:u}";
        }
        catch (ArgumentException)
        {
            return $"process {pid} has ended";
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException or UnauthorizedAccessException)
        {
            return null;                                            // cannot tell: assume it runs
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Moves the stale file aside; true when the file moved was the one judged stale (its bytes unchanged).
    private static bool TakeOver(string path, byte[] judged)
    {
        string aside = $"{path}.{Guid.NewGuid():N}.stale";
        try
        {
            File.Move(path, aside);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        if (File.ReadAllBytes(aside).AsSpan().SequenceEqual(judged))
        {
            File.Delete(aside);
            return true;
        }
        try
        {
            File.Move(aside, path);                                 // a newer claim: give it back
        }
        catch (IOException)
        {
            File.Delete(aside);                                     // a third process claimed meanwhile
        }
        return false;
    }

    private static string Describe(Holder? claim, DateTime touched) => claim is null
        ? $"an unreadable claim (last written {touched:u})"
        : $"process {claim.Pid} on {PrintableText.Quote(claim.Host)} (claimed {claim.Claimed:u}, heartbeat {touched:u})";

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1
        ? $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min"
        : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    // Host name, boot id and PID namespace: equal exactly when a process id means the same process for both sides.
    private static string ReadMachineKey()
    {
        string boot = "", pidNamespace = "";
        if (OperatingSystem.IsLinux())
        {
            try
            {
                boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
                pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return $"{Environment.MachineName}|{boot}|{pidNamespace}";
    }
}
