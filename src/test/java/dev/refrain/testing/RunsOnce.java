package dev.refrain.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * A test class that runs in the suite's default execution only, not again in the one on PostgreSQL
 * with S3: its subject behaves the same whatever store and storage the server has, or it sets up
 * the ones it needs itself. The class says which, in a comment by the annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@DisabledIfSystemProperty(named = "refrain.test.database", matches = "postgresql")
public @interface RunsOnce {}
