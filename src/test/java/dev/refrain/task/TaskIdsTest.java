package dev.refrain.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdsTest {
  @Test
  void anIdIsALowercaseVersion7UuidThatCarriesItsMillisecond() {
    String id = TaskIds.next(1_764_936_000_123L);
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    UUID u = UUID.fromString(id);
    assertThat(u.version()).isEqualTo(7);
    assertThat(u.variant()).isEqualTo(2);
    assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(1_764_936_000_123L);
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
    String earlier = TaskIds.next(1_764_936_000_123L);
    String later = TaskIds.next(1_764_936_000_124L);
    assertThat(later).isGreaterThan(earlier);
  }

  @Test
  void idsOfTheSameMillisecondDifferInTheirRandomBits() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) ids.add(TaskIds.next(1_764_936_000_123L));
    assertThat(ids).hasSize(10_000);
  }
}
