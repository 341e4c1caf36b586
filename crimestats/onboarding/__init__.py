"""Set up a partnership from the ONS list: a site administrator turns a reference
partnership (created by the ONS import) into a real one. It lives in crimestats
because it reads what the ONS import stored (the local authority lookup and the
figures); the write itself is ``partnerships.services.partnership_set_up``."""
